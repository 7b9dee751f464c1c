/*
 * ui_lineedit: a single-line field editor that knows Thai.
 *
 * Why our own: libformw corrupts typed Thai combining marks and truncates
 * nearly full fields (doc/probes.md section 3).  This editor keeps a
 * wchar_t buffer and a cursor that always stands on a cluster boundary (a
 * base character and the width-0 marks after it, as text_cp_is_combining
 * says), so Left/Right/Delete move over or remove a whole cluster, while
 * Backspace removes one code point: a Thai typist who typed สุ่ม and presses
 * Backspace expects สุ, and can then type another tone mark without retyping
 * the consonant.  A character that libthai's input sequence check
 * (th_isaccept, ISC_BASICCHECK) says cannot follow the previous one (two
 * tone marks, an above vowel with no consonant) is refused.
 *
 * The length limit counts characters as a person counts them on screen:
 * the Thai above and below vowels and tone marks (width-0 marks) are not
 * counted, so นางสาวพิชญาภา is 10 characters, not 13 code points.  The limit
 * only stops typing (the key is refused and last_refusal says why, for the
 * caller's message); a value given with ui_lineedit_set_utf8 is kept whole
 * however long, so a value read from the database and saved again is never
 * cut.  A text wider than the box scrolls, with '…' at each end that is
 * cut off (ui_lineedit_view_ends).
 *
 * The editing logic (ui_lineedit_key, ui_lineedit_view) needs no terminal
 * and is unit tested; ui_lineedit_draw is the only curses part.
 *
 * Ownership: ui_lineedit_new returns an editor the caller frees with
 * ui_lineedit_free; the UTF-8 text returned by ui_lineedit_text_utf8 belongs
 * to the editor and is valid until the next change.
 */
#ifndef ESIS_UI_LINEEDIT_H
#define ESIS_UI_LINEEDIT_H

#include <stdbool.h>
#include <wchar.h>
#include "esis/ui_keys.h"

typedef struct _win_st ui_window;   /* curses WINDOW without curses.h */

/* Which characters may be typed. */
typedef enum ui_lineedit_accept {
    UI_LE_ANY = 0,     /* any printable text */
    UI_LE_NUMBER,      /* digits (ASCII or Thai), '-', '.', ',' */
    UI_LE_DATE,        /* digits (ASCII or Thai) and '/' */
    UI_LE_CODE,        /* printable, no spaces */
} ui_lineedit_accept;

/* What ui_lineedit_key did with a key. */
typedef enum ui_lineedit_result {
    UI_LE_IGNORED = 0, /* not an editing key: the caller handles it */
    UI_LE_MOVED,       /* cursor moved, text unchanged */
    UI_LE_CHANGED,     /* text changed */
    UI_LE_REFUSED,     /* an editing key that could not apply (beep) */
} ui_lineedit_result;

/* Why the last refused key was refused (for the caller's message). */
typedef enum ui_lineedit_refusal {
    UI_LE_WHY_NONE = 0,
    UI_LE_WHY_FULL,      /* the field holds max_chars characters already */
    UI_LE_WHY_KIND,      /* not a character this field takes (a letter in a
                            number or a date, a space in a code) */
    UI_LE_WHY_SEQUENCE,  /* a Thai mark that cannot follow what is before it */
    UI_LE_WHY_MOVE,      /* nothing to delete or move over */
} ui_lineedit_refusal;

typedef struct ui_lineedit {
    wchar_t *buf;        /* len code points + NUL; cap code points fit */
    int      len;
    int      cap;
    int      max_chars;  /* characters as seen: marks not counted
                            (ui_lineedit_chars) */
    int      cur;        /* cursor: code point index, on a cluster boundary */
    int      scroll;     /* first shown code point, on a cluster boundary */
    ui_lineedit_accept accept;
    bool     modified;   /* set by any change; the caller may clear it */
    char    *utf8;       /* cache for ui_lineedit_text_utf8 */
    bool     utf8_valid;
    ui_lineedit_refusal last_refusal;   /* set by every refused key */
    bool     full_pending;  /* the last key was a character refused as
                               FULL: the marks typed after it are too */
} ui_lineedit;

/* max_chars >= 1.  NULL when out of memory. */
ui_lineedit *ui_lineedit_new(int max_chars, ui_lineedit_accept accept);
void ui_lineedit_free(ui_lineedit *ed);

/* Replace the text, whole (never cut, even past max_chars: see above);
 * the cursor goes to the end; modified is cleared.  Invalid UTF-8 becomes
 * U+FFFD.  -1 when memory ran out (the text is then empty). */
int ui_lineedit_set_utf8(ui_lineedit *ed, const char *s);
const char *ui_lineedit_text_utf8(ui_lineedit *ed);

/* Apply one key: a character to insert, KEY_LEFT/RIGHT/HOME/END (also ^A
 * is not taken: Home/End come from the key map), Backspace (127, ^H,
 * KEY_BACKSPACE) and Delete (KEY_DC). */
ui_lineedit_result ui_lineedit_key(ui_lineedit *ed, ui_key key);

/* Would c be accepted at the cursor (type, length and Thai sequence)? */
bool ui_lineedit_can_insert(const ui_lineedit *ed, wchar_t c);
/* The same with the reason it would not (UI_LE_WHY_NONE: accepted). */
ui_lineedit_refusal ui_lineedit_check_insert(const ui_lineedit *ed, wchar_t c);

/* Characters as a person counts them: code points that are not width-0
 * marks.  Of the whole text / of a UTF-8 string. */
int ui_lineedit_chars(const ui_lineedit *ed);
int ui_lineedit_chars_utf8(const char *s);

/* Start and end of the cluster that starts at i / ends at i. */
int ui_lineedit_next_boundary(const ui_lineedit *ed, int i);
int ui_lineedit_prev_boundary(const ui_lineedit *ed, int i);

/* Display width of buf[from..to). */
int ui_lineedit_width(const ui_lineedit *ed, int from, int to);

/* Fit the view into width columns: adjusts scroll so the cursor is
 * visible, then gives the code point count to draw from scroll and the
 * cursor column relative to the field. */
void ui_lineedit_view(ui_lineedit *ed, int width, int *count, int *cursor_col);
/* The same with room kept for a '…' at each end that is cut off: *left and
 * *right say which are (the text starts at column 1 when *left). */
void ui_lineedit_view_ends(ui_lineedit *ed, int width, int *count,
                           int *cursor_col, bool *left, bool *right);

/* Draw at (y, x) in width columns with attr, padded with spaces; returns
 * the screen column of the cursor (x + cursor column). */
int ui_lineedit_draw(ui_lineedit *ed, ui_window *win, int y, int x, int width,
                     int attr);
/* The same with the text and the blank rest of the box in different
 * attributes.  The form draws the field being typed in with plain text on
 * an underlined rest: a typed character then costs its own bytes only
 * (ncurses ends every update with attributes off, so text in an attribute
 * would cost an attribute on and off per key: 16 bytes instead of 3 for a
 * Thai letter, bench/tui_bytes.sh). */
int ui_lineedit_draw_split(ui_lineedit *ed, ui_window *win, int y, int x,
                           int width, int text_attr, int pad_attr);
/* A field not being typed in: its start, with '…' at the right when the
 * rest does not fit (the cursor and the scroll are left as they are). */
void ui_lineedit_draw_rest(ui_lineedit *ed, ui_window *win, int y, int x,
                           int width, int attr);

#endif

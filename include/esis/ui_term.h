/*
 * ui_term: opening the terminal for the TUI, or saying clearly why not.
 *
 * initscr() prints ncurses' own English message and exits when TERM is
 * unknown, and starts a garbled screen on a terminal that cannot move its
 * cursor (TERM=dumb, where F10 then cannot even quit).  esis checks first:
 * a UTF-8 character locale (text_locale.h; without one Thai is drawn as
 * spaces), a TERM that terminfo knows, and one that can address the cursor
 * and clear the screen.  Then newterm() opens it; the caller prints the
 * message of the status in the user's language and exits non-zero.
 *
 * Ownership: the SCREEN ui_term_open makes lives until the process ends
 * (like initscr's); ui_term_close ends curses on it.
 */
#ifndef ESIS_UI_TERM_H
#define ESIS_UI_TERM_H

#include <curses.h>

typedef enum ui_term_status {
    UI_TERM_OK,
    UI_TERM_NO_UTF8,      /* no UTF-8 LC_CTYPE: Thai cannot be drawn */
    UI_TERM_NO_TERM,      /* TERM unset or empty */
    UI_TERM_UNKNOWN,      /* TERM not in the terminfo database */
    UI_TERM_CANNOT_DRAW,  /* known, but no cursor addressing (dumb, hardcopy) */
} ui_term_status;

/* Check, then open curses on stdin/stdout; *out is the screen on OK. */
ui_term_status ui_term_open(SCREEN **out);
/* End curses on the screen (NULL is fine). */
void ui_term_close(SCREEN *screen);
/* The conf/messages.ini key that explains a status ("term.unknown"). */
const char *ui_term_msg_key(ui_term_status status);

#endif

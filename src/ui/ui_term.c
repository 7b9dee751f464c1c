/*
 * ui_term.c: check the locale and the terminal, then newterm()
 * (include/esis/ui_term.h says why).  Alone in its file because <term.h>
 * defines a macro for every terminfo capability name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <curses.h>
#include <term.h>
#include "esis/text_locale.h"
#include "esis/ui_term.h"

static bool ui_term_has_string(const char *cap)
{
    const char *s = tigetstr(cap);
    return s != NULL && s != (const char *)-1 && *s;
}

/* The terminal TERM names: known to terminfo, and able to draw screens. */
static ui_term_status ui_term_check(const char *term)
{
    if (!term || !*term)
        return UI_TERM_NO_TERM;
    int err = 0;
    /* quietly: err says why (no entry, no database, hardcopy) */
    if (setupterm(term, STDOUT_FILENO, &err) != OK)
        return err == 1 ? UI_TERM_CANNOT_DRAW : UI_TERM_UNKNOWN;
    bool can = ui_term_has_string("cup") && ui_term_has_string("clear") &&
               tigetflag("hc") <= 0 && tigetflag("gn") <= 0;
    del_curterm(cur_term);
    return can ? UI_TERM_OK : UI_TERM_CANNOT_DRAW;
}

ui_term_status ui_term_open(SCREEN **out)
{
    *out = NULL;
    if (!text_locale_is_utf8())
        return UI_TERM_NO_UTF8;
    const char *term = getenv("TERM");
    ui_term_status st = ui_term_check(term);
    if (st != UI_TERM_OK)
        return st;
    *out = newterm(term, stdout, stdin);
    if (!*out)
        return UI_TERM_UNKNOWN;
    set_term(*out);
    return UI_TERM_OK;
}

void ui_term_close(SCREEN *screen)
{
    if (!screen)
        return;
    /* Not delscreen(): libpanel keeps a panel for stdscr that only its
     * screen points to and nothing frees; the screen stays reachable until
     * the process ends, as initscr's did. */
    endwin();
}

const char *ui_term_msg_key(ui_term_status status)
{
    switch (status) {
    case UI_TERM_NO_UTF8:     return "term.no_utf8";
    case UI_TERM_NO_TERM:     return "term.no_term";
    case UI_TERM_UNKNOWN:     return "term.unknown";
    case UI_TERM_CANNOT_DRAW: return "term.cannot_draw";
    case UI_TERM_OK:          break;
    }
    return "term.unknown";
}

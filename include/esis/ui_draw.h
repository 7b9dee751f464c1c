/*
 * ui_draw: the drawing helpers every widget shares, and the ui context.
 *
 * Thai text must be cut and padded by display width, never by bytes or
 * code points (printf's %-14s misaligns, mvwaddnwstr counts wchar_t), so
 * every string reaches the screen through ui_draw_text, which cuts at a
 * cluster boundary with the text layer and writes with mvwaddnwstr.
 *
 * The look is attributes first: the title and hint bar in reverse, errors
 * in bold with a '!' marker and warnings with '?', the selection in reverse,
 * fields underlined.  Colour is only added on top, and not at all under
 * NO_COLOR, on a terminal without colours (TERM=vt100) or when conf says
 * so, so no information is carried by colour alone.
 *
 * Ownership: a ui_ctx is a plain struct owned by the caller (one per
 * session); it borrows conf.  Nothing here allocates beyond a call.
 */
#ifndef ESIS_UI_DRAW_H
#define ESIS_UI_DRAW_H

#include <stdbool.h>
#include <stddef.h>
#include "esis/ui_keys.h"

typedef struct _win_st ui_window;
struct esis_conf;

typedef struct ui_ctx {
    const struct esis_conf *conf; /* messages; NULL: message keys are shown */
    const char *lang;             /* "th"/"en"; NULL: conf's language */
    ui_keymap keys;
    bool color;                   /* colours are in use */
    int attr_title, attr_status, attr_error, attr_warning, attr_hint_key,
        attr_hint_text, attr_select, attr_field, attr_field_focus,
        attr_heading, attr_dialog;
    /* Repaint what lies under an overlay (after KEY_RESIZE); may be NULL. */
    void (*redraw)(void *user);
    void *redraw_user;
} ui_ctx;

/* Fill ctx.  want_color is conf's setting; NO_COLOR and terminals without
 * colours switch colour off.  Colours need initscr first; without a screen
 * (unit tests) the attributes are set and colour stays off. */
void ui_ctx_init(ui_ctx *ctx, const struct esis_conf *conf,
                 const ui_keymap *keys, bool want_color);

/* A user-visible text by key (conf_msg); the key itself without conf. */
const char *ui_msg(const ui_ctx *ctx, const char *key);

typedef enum ui_status_kind {
    UI_STATUS_INFO = 0, UI_STATUS_WARNING, UI_STATUS_ERROR
} ui_status_kind;

/* The marker character shown for a kind: ' ', '?', '!'. */
char ui_status_marker(ui_status_kind kind);

/* One entry of the bottom key-hint bar: an action and the message key of
 * its label ("F2 บันทึก"). */
typedef struct ui_hint {
    ui_action   action;
    const char *msg_key;
} ui_hint;

/* Put s at (y, x) cut or padded to exactly width columns; align 'l', 'r',
 * 'c'.  A cut string ends in '…'.  Returns width (0 when width <= 0). */
int ui_draw_text(ui_window *win, int y, int x, const char *s, int width,
                 char align, int attr);

/* The hint bar as one line of text: "F1 ช่วยเหลือ  F2 บันทึก ...", cut to
 * width at an entry boundary.  Returns the byte length. */
size_t ui_hints_format(const ui_ctx *ctx, const ui_hint *hints, int n,
                       int width, char *out, size_t outsz);

/* Title bar on row 0: title at the left, right (may be NULL) at the right. */
void ui_draw_title(const ui_ctx *ctx, ui_window *win, const char *title,
                   const char *right);
/* Status line on the row above the hint bar; kind adds its marker. */
void ui_draw_status(const ui_ctx *ctx, ui_window *win, ui_status_kind kind,
                    const char *msg);
/* Key-hint bar on the last row: keys in bold, labels in reverse. */
void ui_draw_hints(const ui_ctx *ctx, ui_window *win, const ui_hint *hints,
                   int n);
/* A box with an optional title in its top border. */
void ui_draw_box(const ui_ctx *ctx, ui_window *win, int y, int x, int h,
                 int w, const char *title);

/* After an overlay closed: put back stdscr and every panel still open (a
 * menu under a dialog) in the virtual screen; ncurses then sends only the
 * cells that differ.  The caller calls doupdate. */
void ui_draw_restore(void);

/* Rows available between the title bar and the status line. */
int ui_draw_body_rows(ui_window *win);

#endif

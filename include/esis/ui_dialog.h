/*
 * ui_dialog: modal overlays on a panel (libpanelw): confirm yes/no, message
 * box, text prompt, a list to choose from, a pick list with a filter line,
 * and the help overlay (F1) that lists the keys of the current screen and
 * the help text of the current field.
 *
 * Each dialog opens a window on a panel above whatever is on screen, runs
 * its own small key loop and closes again; what was under it comes back
 * through the panel library (or a touch of stdscr), so nothing is repainted
 * that did not change.  On KEY_RESIZE a dialog calls ctx->redraw for the
 * screen under it and re-centres itself.
 *
 * Confirm accepts y/n and also the keys at the same place on the Thai
 * Kedmanee layout (ั for y, ื for n), so a typist need not switch layouts.
 *
 * Ownership: dialogs borrow every string; ui_dialog_prompt writes into the
 * caller's buffer.
 */
#ifndef ESIS_UI_DIALOG_H
#define ESIS_UI_DIALOG_H

#include <stdbool.h>
#include <stddef.h>
#include <panel.h>
#include "esis/ui_draw.h"

/* An entry of a lookup list: the code stored and the label shown. */
typedef struct ui_pick_item {
    const char *code;
    const char *label;
} ui_pick_item;

/* Yes (true) or no; Esc is no.  The "No" button is the default. */
bool ui_dialog_confirm(ui_ctx *ctx, const char *question);

/* A message in a box; any key closes it. */
void ui_dialog_message(ui_ctx *ctx, const char *title, const char *text);

/* Ask for one line of text (Thai allowed) with the line editor.  buf holds
 * the initial text and receives the answer, whole: a key that would make
 * the answer longer than bufsz - 1 bytes is refused like one past
 * max_chars.  False when cancelled (Esc). */
bool ui_dialog_prompt(ui_ctx *ctx, const char *title, const char *label,
                      char *buf, size_t bufsz, int max_chars);

/* Choose one of n lines; returns its index or -1 (Esc). */
int ui_dialog_list(ui_ctx *ctx, const char *title, const char *const *lines,
                   int n, int initial);

/* Pick from a lookup list; typing filters it (code or label contains the
 * text).  Returns the index into items, or -1. */
int ui_dialog_pick(ui_ctx *ctx, const char *title, const ui_pick_item *items,
                   int n, const char *current_code);

/* True when item matches the filter text (code or label contains it,
 * ASCII case-insensitive).  Used by the pick list; exposed for tests. */
bool ui_dialog_pick_matches(const ui_pick_item *item, const char *filter);

/* The help overlay: the keys of this screen (hints, with every key bound
 * to each action) and the help text of the current field (may be NULL). */
void ui_dialog_help(ui_ctx *ctx, const char *title, const ui_hint *hints,
                    int n, const char *field_help);

/* Split s into lines of at most width columns (at spaces when possible,
 * else at a cluster boundary; '\n' breaks).  Calls fn(line, bytes, user)
 * per line; returns the number of lines. */
int ui_dialog_wrap(const char *s, int width,
                   void (*fn)(const char *line, size_t n, void *user),
                   void *user);

/* A boxed window in the middle of the screen, on its own panel: what every
 * dialog and the file chooser draw in.  open: h x w (cut to the screen),
 * the dialog's colours, a box with title; 0 or -1.  close: the panel and
 * window gone (both NULL after), the screen below drawn again. */
typedef struct ui_overlay {
    WINDOW *win;
    PANEL  *panel;
    int     h, w;
} ui_overlay;
int ui_overlay_open(ui_ctx *ctx, ui_overlay *o, int h, int w, const char *title);
void ui_overlay_close(ui_overlay *o);

#endif

/*
 * ui_pager: a full-screen, read-only list of text lines with a selection
 * bar: the report viewer, the audit trail, a record's history and a row's
 * flags are all lines to scroll through.  A fixed heading line may stand
 * above them (a report's column headings).
 *
 * The lines are held in memory, so callers give it bounded content (a
 * report's rows, the newest N audit entries), never a whole table.  Moving
 * the bar redraws the two rows involved, a scroll the visible rows.
 *
 * Ownership: the pager owns its lines (copied by ui_pager_add); title,
 * right, heading and hints are borrowed.
 */
#ifndef ESIS_UI_PAGER_H
#define ESIS_UI_PAGER_H

#include <stdbool.h>
#include <stddef.h>
#include "esis/ui_draw.h"
#include "esis/ui_menu.h"

typedef struct ui_pager {
    ui_ctx        *ctx;
    const char    *title, *right;   /* the title bar */
    const char    *heading;         /* fixed line above the rows, or NULL */
    char         **lines;           /* owned */
    int            n, cap;
    ui_list_nav    nav;
    char           status[1024];
    ui_status_kind status_kind;
    const ui_hint *hints;
    int            nhints;
} ui_pager;

/* Append a copy of line (cut at newlines into several).  0 or -1. */
int ui_pager_add(ui_pager *p, const char *line);
void ui_pager_clear(ui_pager *p);
void ui_pager_set_status(ui_pager *p, ui_status_kind kind, const char *msg);

/* Run on stdscr until a key the pager does not use for moving: Esc, the
 * quit key, or one of keys (n of them; may be empty).  Returns that key;
 * p->nav.sel is the line under the bar.  After the caller acted, it may
 * call ui_pager_run again (everything is repainted once). */
ui_key ui_pager_run(ui_pager *p, const ui_key *keys, int n);

#endif

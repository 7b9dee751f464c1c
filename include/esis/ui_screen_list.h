/*
 * ui_screen_list: the list of a list-and-form screen (screens/NAME.ini
 * [list]): a ui_table whose data source is a db_cursor over the screen's
 * table, so any definition becomes a list that pages by keyset at any size.
 *
 * The source turns rows into cells: codes shown with their labels
 * (conf_code_label), dates in the Buddhist Era, yes/no in words, and the flag
 * column from the flags table ('!' error, '?' warning; one query per page).
 * Searching narrows the list to matching rows (FTS5 trigram or prefix, see
 * db_cursor.h) and stays after Enter; Esc ends it.  The filter prompt takes
 * "column=value" words: the column by name, label or heading in either
 * language, the value as a code or its label ("ชั้น=ป.1", "grade=P1").
 *
 * Keys follow conf/keys.ini: Enter opens the form, add (Ins, +), delete
 * (Del, F8) after a confirmation, search (/ or typing), filter, sort, Esc
 * back.  The title bar shows who works, on which database, in which round;
 * the bottom bar this screen's keys.  The row count is taken after the first
 * page is on the screen, so opening is never held up by counting.
 *
 * Ownership: a ui_screen_list owns its cursor, table and columns; it
 * borrows the env and the screen definition.
 */
#ifndef ESIS_UI_SCREEN_LIST_H
#define ESIS_UI_SCREEN_LIST_H

#include <stdbool.h>
#include <stddef.h>
#include "esis/db_cursor.h"
#include "esis/ui_screen_form.h"
#include "esis/ui_table.h"

typedef struct ui_screen_list {
    ui_screen_env   *env;
    const ui_screen *sc;
    db_cursor       *cursor;     /* owned */
    ui_table        *table;      /* owned */
    ui_table_col    *cols;       /* owned (ui_screen_list_cols) */
    long             count;      /* -1 until counted */
    bool             count_exact;
    char             status[512];
    ui_status_kind   status_kind;
    bool             status_dirty;
} ui_screen_list;

/* Open the list of screen sc in the area (y, 0, h, w).  NULL with err. */
ui_screen_list *ui_screen_list_open(ui_screen_env *env, const ui_screen *sc,
                                    int y, int h, int w, char *err,
                                    size_t errsz);
void ui_screen_list_free(ui_screen_list *l);

/* The table's data source (for tests). */
ui_table_source ui_screen_list_source(ui_screen_list *l);

/* Apply a filter text ("grade=P1 school_code=1031000001"; "" clears).  0,
 * or -1 with the word not understood in err. */
int ui_screen_list_filter(ui_screen_list *l, const char *text, char *err,
                          size_t errsz);

/* The id of the row under the cursor, 0 when none. */
long long ui_screen_list_current_id(const ui_screen_list *l);

/* ui_screen_actions.c: F3 on a row lists its stored flags with their
 * messages; the actions key runs the screen's `actions` (submissions:
 * submit, return, confirm, reopen through rounds_submission_act) or its
 * `fix_into` (quarantine: the row's fields in the target form; a save marks
 * the row resolved).  Both report on the list's status line.  Return 1
 * when the user quit esis, else -1 (go on). */
int ui_screen_list_flags(ui_screen_list *l);
/* Enter on a row without an id (a view such as the submission dashboard):
 * the record found by its natural key (the round, the key columns shown in
 * the list) in the screen's form. */
int ui_screen_list_open_by_key(ui_screen_list *l);
/* Run form sf (owned from now on) over the list, then refresh the list.
 * True when the user quit esis. */
bool ui_screen_list_run_form_over(ui_screen_list *l, ui_screen_form *sf);
int ui_screen_list_actions(ui_screen_list *l);
void ui_screen_list_status(ui_screen_list *l, ui_status_kind kind, const char *msg);
/* Repaint everything (after a dialog or a form covered the list); ncurses
 * sends only the cells that differ. */
void ui_screen_list_repaint(ui_screen_list *l);
/* The rows changed (a save, a delete, an action): fetch the window again
 * and count it again, so the count shown is the database's, not the one
 * kept from before the change. */
void ui_screen_list_reload(ui_screen_list *l);

/* Run the screen (list, forms, deletes) on stdscr.  Returns true when the
 * user asked to quit the application, false for back to the menu. */
bool ui_screen_list_run(ui_screen_env *env, const ui_screen *sc);
/* The same with form `first` (owned from now on) opened over the list at
 * once: a draft restored, a quarantined row being fixed. */
bool ui_screen_list_run_form(ui_screen_env *env, const ui_screen *sc,
                             ui_screen_form *first);

#endif

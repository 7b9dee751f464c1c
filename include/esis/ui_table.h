/*
 * ui_table: a virtual table view.  It never holds more rows than fit on
 * the screen: it asks a data source for one screenful at a time, relative
 * to an anchor row (the db layer implements this with keyset paging, so
 * paging through 100,000 students costs the same as through 100).
 *
 * The view has a heading row, the data rows, and a prompt line at the
 * bottom of its area used for the incremental search ("/" or just start
 * typing: the source is asked again at every keystroke, Thai typed through
 * ui_lineedit), the filter prompt and the sort choice (sort, then the
 * column's number; the same column again reverses).  A flag column shows
 * '!' for a row with errors and '?' for warnings, so nothing is said by
 * colour alone.
 *
 * Logic and drawing are apart: ui_table_key changes the window of rows and
 * records what became dirty; ui_table_draw redraws only that (the two rows
 * a cursor move touches, or the rows after a page change).  Unit tests
 * drive ui_table_key with a fake source.
 *
 * Ownership: the table owns its rows (each row's cells and anchor are
 * malloc'd by the source through ui_table_row_set and freed by the table),
 * its prompt editor and its filter text.  Columns and the source's user
 * pointer are borrowed.
 */
#ifndef ESIS_UI_TABLE_H
#define ESIS_UI_TABLE_H

#include <stdbool.h>
#include "esis/ui_draw.h"
#include "esis/ui_lineedit.h"

typedef struct ui_table_row {
    char **cells;    /* ncols UTF-8 strings (never NULL after set) */
    char   flag;     /* ' ' none, '!' error, '?' warning */
    char  *anchor;   /* the source's key for this row (opaque text) */
} ui_table_row;

/* For sources: fill a zeroed row with copies.  cells may hold NULLs (shown
 * empty).  Returns 0 or -1 when out of memory (the row is left empty). */
int ui_table_row_set(ui_table_row *r, int ncols, const char *const *cells,
                     char flag, const char *anchor);
void ui_table_row_clear(ui_table_row *r, int ncols);

typedef enum ui_fetch_dir {
    UI_FETCH_BEFORE = -1,   /* the n rows just before the anchor */
    UI_FETCH_AT     = 0,    /* the anchor row and the n-1 after it */
    UI_FETCH_AFTER  = 1,    /* the n rows just after the anchor */
} ui_fetch_dir;

/* Every callback fills out[0..n) (zeroed rows) in display order and returns
 * how many rows it filled, or -1 on error.  BEFORE returns the rows nearest
 * the anchor last (still in display order). */
typedef struct ui_table_source {
    void *user;
    int  (*fetch_page)(void *user, const char *anchor, ui_fetch_dir dir,
                       int n, ui_table_row *out);
    int  (*first)(void *user, int n, ui_table_row *out);
    int  (*last)(void *user, int n, ui_table_row *out);
    /* rows from the first one whose sort column starts with prefix (or,
     * for a source that narrows, the first matching rows: the table then
     * calls search(user, "", 0, NULL) when the search is emptied or
     * cancelled, and a search accepted with Enter stays in force) */
    int  (*search)(void *user, const char *prefix, int n, ui_table_row *out);
    long (*row_count_estimate)(void *user);   /* may be NULL */
    /* change the order / the filter; the table then asks for first */
    int  (*sort)(void *user, int col, bool descending);    /* may be NULL */
    int  (*filter)(void *user, const char *text);          /* may be NULL */
    /* whether row_count_estimate's number is exact (shown as it is) or a
     * lower bound (shown "N+"); NULL: an estimate, shown "~N" */
    bool (*row_count_exact)(void *user);
} ui_table_source;

#define UI_TABLE_MAX_COLS 24

typedef struct ui_table_col {
    const char *heading;   /* already in the user's language */
    int         width;     /* display columns */
    char        align;     /* 'l', 'r', 'c' */
    bool        sortable;
} ui_table_col;

typedef enum ui_table_mode {
    UI_TABLE_BROWSE = 0, UI_TABLE_SEARCH, UI_TABLE_FILTER, UI_TABLE_SORT
} ui_table_mode;

/* What needs drawing (bits). */
enum {
    UI_TABLE_DIRTY_HEAD   = 1,  /* heading row */
    UI_TABLE_DIRTY_ROWS   = 2,  /* every data row */
    UI_TABLE_DIRTY_CURSOR = 4,  /* rows old_cursor and cursor only */
    UI_TABLE_DIRTY_PROMPT = 8,  /* the prompt line */
    UI_TABLE_DIRTY_ALL    = 15,
};

typedef struct ui_table {
    ui_ctx             *ctx;
    const ui_table_col *cols;
    int                 ncols;
    ui_table_source     src;
    ui_table_row       *rows;      /* the visible window */
    int                 nrows;     /* rows held (<= cap) */
    int                 cap;       /* data rows that fit */
    int                 cursor, old_cursor;
    int                 y, x, h, w;
    ui_table_mode       mode;
    ui_lineedit        *prompt;
    char               *filter;    /* current filter text, owned */
    char               *saved_anchor; /* where a search started, owned */
    int                 saved_cursor;
    bool                search_failed;
    bool                bell;      /* the last key could not apply */
    int                 sort_col;  /* -1: the source's default order */
    bool                sort_desc;
    unsigned            dirty;
    long                fetched_rows; /* rows asked from the source (tests) */
    bool                error;     /* the source returned -1 */
} ui_table;

/* A table over the area (y, x, h, w) (h >= 3: heading, rows, prompt).
 * Fetches the first screenful.  NULL when out of memory or when ncols is
 * not 1..UI_TABLE_MAX_COLS. */
ui_table *ui_table_new(ui_ctx *ctx, const ui_table_col *cols, int ncols,
                       const ui_table_source *src, int y, int x, int h, int w);
void ui_table_free(ui_table *t);

/* New area (after KEY_RESIZE): refetches from the top row. */
int ui_table_resize(ui_table *t, int y, int x, int h, int w);
/* Refetch the window from its top row (after an edit or delete). */
int ui_table_reload(ui_table *t);

/* Handle a key.  Returns UI_ACT_NONE when the table dealt with it, or the
 * action the caller must carry out on the current row: UI_ACT_EDIT (Enter),
 * UI_ACT_ADD, UI_ACT_DELETE, UI_ACT_BACK, UI_ACT_QUIT, UI_ACT_HELP,
 * UI_ACT_LANG_TOGGLE, UI_ACT_FLAGS, UI_ACT_ACTIONS, UI_ACT_HISTORY. */
ui_action ui_table_key(ui_table *t, ui_key k);

/* The row under the cursor, or NULL when the table is empty. */
const ui_table_row *ui_table_current(const ui_table *t);

/* Draw what is dirty into win and clear the dirty bits; leaves the
 * terminal cursor in the prompt when prompting. */
void ui_table_draw(ui_table *t, ui_window *win);

/* The text of the prompt line when browsing ("~1234 rows, sorted by ..."),
 * into out. */
void ui_table_info(const ui_table *t, char *out, size_t outsz);

/* Key loop on stdscr until an action for the caller; draws as it goes. */
ui_action ui_table_run(ui_table *t);

#endif

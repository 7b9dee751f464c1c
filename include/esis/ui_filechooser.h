/*
 * ui_filechooser: pick a file to import.
 *
 * A dialog over the screen: a path line on top (typed, Thai allowed, Tab
 * completes it to the longest prefix its matches share, as a shell does)
 * and below it the current directory, directories first, then the files an
 * import can read (.csv, .xlsx, .txt, any case).  Enter enters a directory
 * or picks a file (the typed path when there is one, else the selected
 * entry); Backspace on an empty path line, or `..`, goes up; Esc cancels.
 * It starts in the user's working directory (HOME when that is unknown).
 *
 * Names are shown through the terminal-safe filter (termsafe.h), so a
 * control character in a file name cannot move the cursor or recolour the
 * screen, and fitted by display width (Thai marks take no column).
 *
 * The listing, the filter, the order and the completion are plain
 * functions, apart from the drawing, so unit tests run them on a
 * directory they make.
 *
 * Ownership: a ui_fc_list owns its names (ui_fc_list_free); the chooser
 * writes the chosen path into the caller's buffer.
 */
#ifndef ESIS_UI_FILECHOOSER_H
#define ESIS_UI_FILECHOOSER_H
#include <stdbool.h>
#include <stddef.h>
#include "esis/ui_draw.h"

typedef struct ui_fc_entry {
    char *name;   /* the file's name in its directory (bytes as stored) */
    bool  dir;
    long long size;
} ui_fc_entry;

typedef struct ui_fc_list {
    ui_fc_entry *v;
    int          n;
} ui_fc_list;

/* True for a name the chooser lists: any directory but "." and hidden
 * ones (".." is kept), a file ending .csv, .xlsx or .txt in any case. */
bool ui_fc_wanted(const char *name, bool dir);
/* qsort order: ".." first, then directories, then files, each by name. */
int ui_fc_compare(const void *a, const void *b);
/* The wanted entries of dir, sorted, into out (".." unless dir is "/").
 * 0, or -1 when dir cannot be read (errno says why). */
int ui_fc_read(const char *dir, ui_fc_list *out);
void ui_fc_list_free(ui_fc_list *l);
/* Complete the name prefix among l's entries: out gets the longest prefix
 * every entry starting with prefix shares, with a '/' after a directory
 * when it is the only match.  Returns how many entries matched (out is
 * prefix itself when none). */
int ui_fc_common_prefix(const ui_fc_list *l, const char *prefix, char *out, size_t outsz);
/* Complete a typed path (absolute, or relative to cwd): its directory part
 * is listed and its last part completed.  out gets the completed path as
 * typed (the directory part unchanged).  Returns the matches, or -1 when
 * the directory cannot be read. */
int ui_fc_complete(const char *cwd, const char *typed, char *out, size_t outsz);
/* A name as the chooser shows it (malloc'd, NULL when out of memory):
 * through text_term_safe, and newline and tab as ^J and ^I, so one name
 * stays on one row. */
char *ui_fc_display(const char *name);

/* Run the chooser.  label is the line above the path (what the file is
 * for).  True with path set to the chosen file's full path; false when
 * cancelled. */
bool ui_filechooser_run(ui_ctx *ctx, const char *title, const char *label,
                        char *path, size_t pathsz);
#endif

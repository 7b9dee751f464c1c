/*
 * ui_form: a data-entry form built from an array of field descriptions
 * (the screen engine makes them from screens/<name>.ini).  Field types: text,
 * number, date (typed DD/MM/YYYY with a Buddhist Era year), code (with a
 * lookup list opened by the pick key: F4, ^P or Esc 4, filtered as one
 * types) and yes/no (space toggles).
 *
 * Checking happens when a field is left: built-in checks (required, a
 * number, a real date, a code in the list), then the validate callback,
 * where the rules engine plugs in.  Each field shows its worst flag as '!'
 * (error) or '?' (warning) beside it; the reason, with the value, is on
 * the status line the moment the field is left, and again when the cursor
 * comes back.  An empty required field is flagged at a save (or once typed
 * in and emptied), never merely for being passed through;
 * F3 lists every flag.  Save (F2) refuses while an error flag stands, then
 * calls the save callback, which may refuse too with a reason.  Esc asks
 * before throwing away changes.
 *
 * Logic and terminal are apart: ui_form_key never opens a dialog, it
 * returns a request (UI_FORM_WANT_*) that ui_form_run carries out with
 * ui_dialog, so everything but the dialogs is unit tested.
 *
 * Values are UTF-8 strings as typed (dates in BE), readable at any moment
 * with ui_form_value, so a caller can save a draft (on SIGHUP) whatever
 * state the form is in; ui_form_value_db gives the stored form (ISO dates).
 *
 * Ownership: the form owns its editors, values and flags; the field
 * descriptions and the pick items are borrowed and must outlive it.
 */
#ifndef ESIS_UI_FORM_H
#define ESIS_UI_FORM_H

#include <stdbool.h>
#include <stddef.h>
#include "esis/norm.h"
#include "esis/ui_dialog.h"
#include "esis/ui_lineedit.h"

typedef enum ui_field_type {
    UI_FIELD_TEXT = 0, UI_FIELD_NUMBER, UI_FIELD_DATE, UI_FIELD_CODE,
    UI_FIELD_YESNO
} ui_field_type;

typedef struct ui_field_desc {
    const char         *label;      /* shown, in the user's language */
    const char         *column;     /* the record column it edits */
    ui_field_type       type;
    int                 width;      /* columns of the entry box */
    int                 max_chars;  /* characters typed at most, marks not
                                       counted; 0: by type (ui_form_max) */
    bool                required;
    const ui_pick_item *items;      /* lookup list of a code field */
    int                 nitems;
    const char         *help;       /* for F1 and the status line; may be NULL */
    bool                read_only;
} ui_field_desc;

/* Limits of fields without a declared max_chars: generous for free text
 * (a Thai agency or a legal basis never stops short), room for any number
 * with its separators. */
enum { UI_FORM_TEXT_MAX = 255, UI_FORM_NUMBER_MAX = 24 };

typedef struct ui_form_flag {
    int   field;      /* the field it points at, -1 for the whole form */
    int   origin;     /* the field whose check made it (-1: save) */
    char  severity;   /* '!' error, '?' warning */
    char *message;    /* owned */
} ui_form_flag;

typedef struct ui_form_flags {
    ui_form_flag *v;
    int n, cap;
} ui_form_flags;

/* For validate callbacks: add a flag (message copied).  0 or -1. */
int ui_form_flags_add(ui_form_flags *f, int field, char severity,
                      const char *message);

typedef struct ui_form ui_form;

/* Called when field `field` is left (and for every field before a save).
 * Append flags to out; return 0, or -1 when the check itself failed. */
typedef int (*ui_form_validate_fn)(void *user, ui_form *form, int field,
                                   ui_form_flags *out);
/* Called on save; return 0 when saved, non-zero with a reason in err. */
typedef int (*ui_form_save_fn)(void *user, ui_form *form, char *err,
                               size_t errsz);

typedef enum ui_form_result {
    UI_FORM_CONTINUE = 0,
    UI_FORM_SAVED,          /* save succeeded: the caller may close */
    UI_FORM_CANCELLED,      /* left without saving (nothing changed, or
                               the user agreed to discard) */
    UI_FORM_QUIT,           /* the quit key: leave the application */
    UI_FORM_WANT_PICK,      /* open the pick list of the current field */
    UI_FORM_WANT_FLAGS,     /* show the flag list */
    UI_FORM_WANT_HELP,      /* show help for the current field */
    UI_FORM_WANT_DISCARD,   /* ask whether to discard; then ui_form_discard */
    UI_FORM_WANT_QUIT,      /* same, then quit */
    UI_FORM_WANT_HISTORY,   /* ui_run returns it: the caller shows the
                               record's history, then runs the form again */
    UI_FORM_STOPPED,        /* ui_run: a stop is pending (ui_signal): the
                               caller keeps the values as a draft */
} ui_form_result;

struct ui_form {
    ui_ctx              *ctx;
    const char          *title;
    const ui_field_desc *fields;
    int                  n;
    ui_lineedit        **eds;       /* one per field; NULL for yes/no */
    int                 *yesno;     /* -1 unset, 0, 1 */
    int                  cur, old_cur, top;
    ui_form_flags        flags;
    ui_form_validate_fn  validate;
    ui_form_save_fn      save;
    void                *user;
    bool                 modified;
    bool                 tried_save; /* a save was asked: empty required
                                        fields are flagged from then on */
    char                 status[1024];  /* room for a conflict's report */
    ui_status_kind       status_kind;
    int                  y, h;      /* body rows: first row and count */
    int                  label_w;
    unsigned             dirty;     /* UI_FORM_DIRTY_* */
    /* per field: how its value is stored (ui_form_set_norm) */
    norm_kind           *norm;
    const conf_codelist **codes;
};

enum { UI_FORM_DIRTY_ALL = 1, UI_FORM_DIRTY_FIELDS = 2, UI_FORM_DIRTY_CUR = 4,
       UI_FORM_DIRTY_STATUS = 8 };

/* NULL when out of memory.  Callbacks may be NULL. */
ui_form *ui_form_new(ui_ctx *ctx, const char *title,
                     const ui_field_desc *fields, int n,
                     ui_form_validate_fn validate, ui_form_save_fn save,
                     void *user);
void ui_form_free(ui_form *f);
/* How field i's value is stored (esis/norm.h): the importer's cleaning of
 * the same column, so a value typed and imported are stored byte for byte
 * the same.  codes: the code list of a code field.  Until set, the type
 * decides (number: real, date, code by its items, text as written). */
void ui_form_set_norm(ui_form *f, int i, norm_kind kind, const conf_codelist *codes);

/* Values.  set accepts ISO or BE dates (shown BE), and "1"/"0"/"yes"/"no"
 * for yes/no; it does not mark the form modified.  A value is kept whole,
 * even past the field's limit (which only stops typing): a stored value
 * saved again is never cut.  -1 when memory ran out. */
int ui_form_set_value(ui_form *f, int i, const char *utf8);
const char *ui_form_value(ui_form *f, int i);
/* The value as stored: ISO CE dates, ASCII digits without separators in
 * numbers, "1"/"0" for yes/no, "" for empty.  False when it cannot be
 * converted (a bad date) or does not fit in outsz (never cut: size out
 * strlen(ui_form_value) + 16). */
bool ui_form_value_db(ui_form *f, int i, char *out, size_t outsz);
int  ui_form_field_index(const ui_form *f, const char *column);
/* The characters field i takes when typed (0 for yes/no). */
int  ui_form_max(const ui_form *f, int i);
bool ui_form_modified(const ui_form *f);

/* Run the checks of field i now (built in, then validate). */
void ui_form_check_field(ui_form *f, int i);
/* Check every field (a draft put back): the rules run and the flags
 * show; an empty required field is not flagged until a save is tried or
 * it was typed in.  The status line gives the first flagged field's
 * reason.  Returns that field, or -1 when none is flagged. */
int  ui_form_check_all(ui_form *f);
/* The worst flag marker of field i: '!', '?' or ' '. */
char ui_form_marker(const ui_form *f, int i);
int  ui_form_error_count(const ui_form *f);

/* F1's text for field i: its label, its meaning (the screen's help), how
 * it is written with an example (a date DD/MM/YYYY BE, a number, a code
 * from its list), its limit, whether it is required or read-only, and the
 * flags the checks raised on it now, with their reasons. */
void ui_form_field_help(ui_form *f, int i, char *out, size_t outsz);
/* Handle one key (see ui_form_result). */
ui_form_result ui_form_key(ui_form *f, ui_key k);
/* Move to field i (checking the one left). */
void ui_form_goto(ui_form *f, int i);
/* Put the pick list's choice (items index) into the current field. */
void ui_form_pick_done(ui_form *f, int item);
/* Try to save now (what F2 does). */
ui_form_result ui_form_try_save(ui_form *f);

/* Draw the whole screen part that is dirty: title, fields, status, hints. */
void ui_form_draw(ui_form *f, ui_window *win);
/* Put the focus on field i without checking the field left (a draft
 * restored as it was). */
void ui_form_focus(ui_form *f, int i);
/* Mark the form changed (values restored from a draft are not saved). */
void ui_form_set_modified(ui_form *f);

/* Full key loop with dialogs until saved, cancelled or quit, or until a
 * stop is pending (ui_signal: checked before and after every key), which
 * returns UI_FORM_STOPPED with every value as typed still in the form. */
ui_form_result ui_form_run(ui_form *f);

#endif

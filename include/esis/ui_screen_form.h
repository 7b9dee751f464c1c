/*
 * ui_screen_form: the form of a list-and-form screen (screens/NAME.ini
 * [form]) over one record: load, check with the rules engine as fields are
 * left, save through the one gate (db_record_save), delete.
 *
 * The ui_form widget does the typing; this module gives it a record:
 *   - values come from db_record_load (or, for a new record, the current
 *     round and the user's school: a school officer with one school gets it
 *     filled in and read-only);
 *   - validate = rules_eval_field on the record built from the form's values
 *     (ui_form_value_db), with the current round's rules_env;
 *   - save = rules_eval_record (an error refuses, with its message on the
 *     status line; warnings do not) then db_record_save.  A conflict
 *     (someone saved between this user's load and save) keeps both sides:
 *     it says who saved and which fields, loads their values into the
 *     fields this user did not change, keeps this user's values where
 *     both changed (each such field flagged '?' with their value), and
 *     takes the stored row as the new base, so that F2 again saves only
 *     what this user changed; DB_DENIED, DB_CLOSED and the rest say why.
 *
 * ui_screen_env is what every screen needs from the session: the app, the
 * drawing context, the language, the current round and the text of the
 * title bar's right side.
 *
 * Ownership: the env borrows app and ctx.  A ui_screen_form owns its
 * ui_form, field descriptions and record; it borrows the env and the screen
 * definition.
 */
#ifndef ESIS_UI_SCREEN_FORM_H
#define ESIS_UI_SCREEN_FORM_H

#include <stdbool.h>
#include <stddef.h>
#include "esis/app.h"
#include "esis/ui_form.h"
#include "esis/ui_screens.h"

typedef struct ui_screen_env {
    esis_app   *app;
    ui_ctx     *ctx;
    int         lang;           /* 0 Thai, 1 English */
    conf_round  round;          /* the current round */
    rules_env   rules;          /* its rules environment (points into round) */
    char        who[256];       /* "somsri (school) · demo.db · 2567-1" */
    const ui_screens *screens;  /* every definition (fix_into finds its
                                   form there); NULL when not known */
} ui_screen_env;

/* Fill env for the app's user, conf and today's round.  env must not be
 * copied afterwards (rules.round_code points into it). */
void ui_screen_env_init(ui_screen_env *env, esis_app *app, ui_ctx *ctx,
                        int lang);
/* A message in the env's language. */
const char *ui_screen_msg(const ui_screen_env *env, const char *key);

typedef struct ui_screen_form {
    ui_screen_env   *env;
    const ui_screen *sc;
    ui_field_desc   *fields;    /* owned (ui_screen_form_fields) */
    ui_form         *form;      /* owned */
    esis_record     *rec;       /* owned: as loaded (or the defaults) */
    char             title[256];
    bool             conflict;  /* the last save met a newer version */
    long long        draft_id;  /* the draft holding this form's values
                                   (restored from, or kept on a stop), 0 */
} ui_screen_form;

/* Open record id of screen sc (0: a new record with the defaults).  NULL
 * with err when the record cannot be read (gone, out of scope) or memory
 * ran out. */
ui_screen_form *ui_screen_form_open(ui_screen_env *env, const ui_screen *sc,
                                    long long id, char *err, size_t errsz);
/* The same over a record already read (owned from now on; freed on
 * failure too): a row of a view found by its key. */
ui_screen_form *ui_screen_form_open_record(ui_screen_env *env, const ui_screen *sc,
                                           esis_record *rec, char *err, size_t errsz);
void ui_screen_form_free(ui_screen_form *sf);

/* The record as the form now holds it (a new copy; caller frees), or NULL
 * when a value cannot be stored (a bad date). */
esis_record *ui_screen_form_record(ui_screen_form *sf);

/* Delete record id of screen sc through the gate; 0, or non-zero with the
 * reason in err (in the env's language). */
int ui_screen_record_delete(ui_screen_env *env, const ui_screen *sc,
                            long long id, char *err, size_t errsz);

/* Keep the form's values as typed (ui_form_value of every field, the
 * focused field, the record's id and version) as the user's draft with
 * reason (DB_DRAFT_*); the draft it replaces is deleted.  0, or -1 with
 * err. */
int ui_screen_form_keep_draft(ui_screen_form *sf, const char *reason,
                              char *err, size_t errsz);

/* Open a form as a draft left it: the record (id 0: a new one) with the
 * values and focus as typed, at the version the user was editing, so the
 * save goes through the normal version check.  NULL with err. */
struct db_draft_entry;
ui_screen_form *ui_screen_form_open_draft(ui_screen_env *env, const ui_screen *sc,
                                          const struct db_draft_entry *d,
                                          char *err, size_t errsz);

/* Run the form on stdscr until saved and closed, cancelled or quit.  The
 * saved record's id goes to *saved_id (0 when nothing was saved).
 * A stop (ui_signal) keeps the values as a draft: a hangup or terminate
 * then returns UI_FORM_QUIT; an interrupt asks whether to leave (QUIT) or
 * go on typing.  Saving deletes the form's draft; discarding it too. */
ui_form_result ui_screen_form_run(ui_screen_form *sf, long long *saved_id);

#endif

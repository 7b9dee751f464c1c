/*
 * ui_screen_actions: what a list screen does beyond browse, add, edit and
 * delete (include/esis/ui_screen_list.h):
 *
 *   F3           the selected row's stored flags with their messages, in
 *                the user's language (the last check's findings);
 *   actions key  `actions = open close lock plan` (the rounds screen): the
 *                round's state through rounds_set_state; a change that
 *                would discard the state of a round holding data is asked
 *                about first;
 *                `actions = submit return confirm reopen` (the submission
 *                dashboard): a menu of the actions on the selected school,
 *                each through rounds_submission_act, which decides who may
 *                do what; submit runs the school's check first (stored like
 *                esis check) and is refused with the error count; return
 *                asks for the reason the school will read;
 *                `fix_into = TABLE` (the quarantine): the row as imported
 *                in that table's form; a save marks the row resolved.
 *
 * A refusal shows its reason on the status line.  Nothing here builds SQL:
 * the data layer, rules and rounds do.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <curses.h>
#include "esis/db.h"
#include "esis/io.h"
#include "esis/rounds.h"
#include "esis/strbuf.h"
#include "esis/ui_actions.h"
#include "esis/ui_dialog.h"
#include "esis/ui_screen_list.h"

/* ---- F3: the row's flags -------------------------------------------------- */

typedef struct ui_flag_lines {
    int    lang;
    char **v;
    int    n, cap;
} ui_flag_lines;

static int ui_flag_line(void *user, char severity, const char *field,
                        const char *message_th, const char *message_en)
{
    ui_flag_lines *f = user;
    if (f->n == f->cap) {
        int cap = f->cap ? f->cap * 2 : 16;
        char **v = realloc(f->v, (size_t)cap * sizeof *v);
        if (!v)
            return 1;
        f->v = v;
        f->cap = cap;
    }
    const char *msg = f->lang ? message_en : message_th;
    strbuf line = STRBUF_INIT;
    strbuf_addf(&line, "%c %s%s%s", severity, field ? field : "", field && *field ? ": " : "",
                msg ? msg : "");
    f->v[f->n] = line.failed ? NULL : strdup(strbuf_str(&line));
    strbuf_free(&line);
    if (!f->v[f->n])
        return 1;
    f->n++;
    return 0;
}

int ui_screen_list_flags(ui_screen_list *l)
{
    ui_screen_env *env = l->env;
    long long id = ui_screen_list_current_id(l);
    if (id <= 0) {
        ui_screen_list_status(l, UI_STATUS_WARNING, ui_screen_msg(env, "ui.no_row"));
        return -1;
    }
    ui_flag_lines f = {.lang = env->lang};
    if (db_flags_row(env->app->db, l->sc->table, id, ui_flag_line, &f) != 0) {
        ui_screen_list_status(l, UI_STATUS_ERROR, sqlite3_errmsg(env->app->db));
    } else if (f.n == 0) {
        ui_dialog_message(env->ctx, ui_screen_msg(env, "ui.row_flags"),
                          ui_screen_msg(env, "ui.no_flags"));
    } else {
        ui_dialog_list(env->ctx, ui_screen_msg(env, "ui.row_flags"),
                       (const char *const *)f.v, f.n, 0);
    }
    for (int i = 0; i < f.n; i++)
        free(f.v[i]);
    free(f.v);
    ui_screen_list_repaint(l);
    return -1;
}

/* ---- submissions ------------------------------------------------------------ */

/* The value of column col in the selected row, as the list shows it (the
 * school code of a dashboard row), or NULL. */
static const char *ui_list_cell_of(ui_screen_list *l, const char *col)
{
    const ui_table_row *r = ui_table_current(l->table);
    for (int k = 0; r && k < l->sc->nlist; k++)
        if (!strcmp(l->sc->fields[l->sc->list[k]].column, col))
            return r->cells[k];
    return NULL;
}

/* The actions a screen's `actions` key may name: a school's submission
 * (the dashboard, the row's school_code) or a round's state (the rounds
 * screen, the row's round_code). */
static const struct {
    const char   *name, *msg;
    rounds_action act;
    const char   *state;   /* a round state action: the state it sets */
} ui_submission_acts[] = {
    {"submit", "ui.act_submit", ROUNDS_SUBMIT, NULL},
    {"return", "ui.act_return", ROUNDS_RETURN, NULL},
    {"confirm", "ui.act_confirm", ROUNDS_CONFIRM, NULL},
    {"reopen", "ui.act_reopen", ROUNDS_REOPEN, NULL},
    {"open", "round.act_open", 0, "open"},
    {"close", "round.act_close", 0, "closed"},
    {"lock", "round.act_lock", 0, "locked"},
    {"plan", "round.act_plan", 0, "planned"},
};
#define UI_NSUBMISSION_ACTS 8

/* The outcome of action a on key (a school or a round) on the status line;
 * the list is read again when it was done. */
static void ui_act_outcome(ui_screen_list *l, int a, const char *key, bool done, const char *err)
{
    ui_screen_env *env = l->env;
    char msg[1024];
    if (!done) {
        snprintf(msg, sizeof msg, "%s %s", ui_screen_msg(env, "ui.act_refused"), err);
        ui_screen_list_status(l, UI_STATUS_ERROR, msg);
        return;
    }
    snprintf(msg, sizeof msg, "%s %s %s", ui_screen_msg(env, "ui.act_done"),
             ui_screen_msg(env, ui_submission_acts[a].msg), key);
    ui_screen_list_status(l, UI_STATUS_INFO, msg);
    ui_screen_list_reload(l);
}

/* A round's state; a change that would discard the state of a round that
 * holds data is asked about first (rounds_set_state refuses it unforced). */
static void ui_round_state_act(ui_screen_list *l, int a, const char *round)
{
    ui_screen_env *env = l->env;
    char err[700] = "", msg[1024];
    rounds_held held;
    int rc = rounds_set_state(env->app->db, round, ui_submission_acts[a].state, false, &held, err, sizeof err);
    if (rc == 1) {
        snprintf(msg, sizeof msg, "%s %s: %lld %s, %lld %s", ui_screen_msg(env, "round.ask_force"), round,
                 held.students, ui_screen_msg(env, "round.holds"), held.submissions,
                 ui_screen_msg(env, "round.submissions"));
        bool yes = ui_dialog_confirm(env->ctx, msg);
        ui_screen_list_repaint(l);
        if (!yes) return;
        rc = rounds_set_state(env->app->db, round, ui_submission_acts[a].state, true, NULL, err, sizeof err);
    }
    ui_act_outcome(l, a, round, rc == 0, err);
}

/* One action on one school; the outcome on the status line. */
static void ui_submission_act(ui_screen_list *l, int a, const char *school)
{
    ui_screen_env *env = l->env;
    char err[700] = "", reason[512] = "", msg[1024];
    rules_store_counts counts = {0, 0};
    rounds_action act = ui_submission_acts[a].act;
    if (act == ROUNDS_SUBMIT && env->app->rules) {
        /* the decision rests on the data as it is now, not an old check */
        if (rules_check_store(env->app->rules, env->app->db, &env->rules, school,
                              env->lang ? "en" : "th", NULL, NULL, &counts, err, sizeof err) != 0) {
            snprintf(msg, sizeof msg, "%s %s", ui_screen_msg(env, "ui.act_refused"), err);
            ui_screen_list_status(l, UI_STATUS_ERROR, msg);
            return;
        }
        if (counts.errors > 0) {
            char n[24];
            snprintf(n, sizeof n, "%ld", counts.errors);
            const char *t = ui_screen_msg(env, "ui.act_errors");
            const char *at = strstr(t, "{n}");
            snprintf(msg, sizeof msg, "%s %.*s%s%s", ui_screen_msg(env, "ui.act_refused"),
                     at ? (int)(at - t) : (int)strlen(t), t, at ? n : "", at ? at + 3 : "");
            ui_screen_list_status(l, UI_STATUS_ERROR, msg);
            return;
        }
    }
    if (act == ROUNDS_RETURN &&
        (!ui_dialog_prompt(env->ctx, ui_screen_msg(env, ui_submission_acts[a].msg),
                           ui_screen_msg(env, "ui.return_reason"), reason, sizeof reason, 200) ||
         !*reason))
        return;
    /* Confirming a school with open errors is an override: its reason is
     * asked for and kept with the confirmation. */
    if (act == ROUNDS_CONFIRM && rounds_open_errors(env->app->db, env->round.code, school) > 0 &&
        (!ui_dialog_prompt(env->ctx, ui_screen_msg(env, ui_submission_acts[a].msg),
                           ui_screen_msg(env, "ui.override_reason"), reason, sizeof reason, 200) ||
         !*reason))
        return;
    bool done = rounds_submission_act(env->app->db, env->round.code, school, act, counts.errors,
                                      act == ROUNDS_RETURN || act == ROUNDS_CONFIRM ? reason : NULL, NULL,
                                      err, sizeof err) == 0;
    ui_act_outcome(l, a, school, done, err);
}

static int ui_screen_list_submission(ui_screen_list *l)
{
    ui_screen_env *env = l->env;
    const char *lines[UI_NSUBMISSION_ACTS];
    int which[UI_NSUBMISSION_ACTS], n = 0;
    for (int i = 0; i < l->sc->nactions; i++)
        for (int a = 0; a < UI_NSUBMISSION_ACTS; a++)
            if (!strcmp(l->sc->actions[i], ui_submission_acts[a].name) && n < UI_NSUBMISSION_ACTS) {
                lines[n] = ui_screen_msg(env, ui_submission_acts[a].msg);
                which[n++] = a;
            }
    bool rounds = n > 0 && ui_submission_acts[which[0]].state;
    const char *cell = ui_list_cell_of(l, rounds ? "round_code" : "school_code");
    if (!cell || !*cell) {
        ui_screen_list_status(l, UI_STATUS_WARNING, ui_screen_msg(env, "ui.no_row"));
        return -1;
    }
    char key[32];
    snprintf(key, sizeof key, "%s", cell);   /* the reload frees the cell */
    char title[128];
    snprintf(title, sizeof title, "%s %s", ui_screen_msg(env, "ui.actions_title"), key);
    int chosen = n ? ui_dialog_list(env->ctx, title, lines, n, 0) : -1;
    ui_screen_list_repaint(l);
    if (chosen < 0) return -1;
    if (ui_submission_acts[which[chosen]].state) ui_round_state_act(l, which[chosen], key);
    else ui_submission_act(l, which[chosen], key);
    return -1;
}

int ui_screen_list_open_by_key(ui_screen_list *l)
{
    ui_screen_env *env = l->env;
    const esis_table *t = schema_table(env->app->schema, l->sc->table);
    const char *key[16];
    char err[512] = "";
    bool ok = t && t->nkey > 0 && t->nkey <= 16 && ui_table_current(l->table);
    for (int i = 0; ok && i < t->nkey; i++) {
        int c = schema_col(t, t->key_cols[i]);
        key[i] = c == t->round_col ? env->round.code : ui_list_cell_of(l, t->key_cols[i]);
        ok = key[i] && *key[i];
    }
    esis_record *r = ok ? db_record_find(env->app->db, t, key) : NULL;
    ui_screen_form *sf = r ? ui_screen_form_open_record(env, l->sc, r, err, sizeof err) : NULL;
    if (!sf) {
        ui_screen_list_status(l, UI_STATUS_ERROR, *err ? err : ui_screen_msg(env, "ui.gone"));
        return -1;
    }
    return ui_screen_list_run_form_over(l, sf) ? 1 : -1;
}

/* ---- quarantine: fix into a form -------------------------------------- */

/* Put the quarantined row's values (header name -> value, as read) into
 * the form's fields, through the import mapping of the row's kind, which
 * knows every header alias. */
static void ui_fix_fill(ui_screen_form *sf, const io_mapping *m, char **keys,
                        char **values, int n)
{
    for (int k = 0; k < n; k++)
        for (int c = 0; c < m->ncols; c++)
            if (io_column_matches(&m->cols[c], keys[k])) {
                int i = ui_form_field_index(sf->form, m->cols[c].column);
                if (i >= 0)
                    ui_form_set_value(sf->form, i, values[k] ? values[k] : "");
                break;
            }
    ui_form_set_modified(sf->form);
}

static int ui_screen_list_fix(ui_screen_list *l)
{
    ui_screen_env *env = l->env;
    sqlite3 *db = env->app->db;
    const esis_table *qt = schema_table(env->app->schema, l->sc->table);
    long long id = ui_screen_list_current_id(l);
    const ui_screen *target = NULL;
    for (int i = 0; env->screens && i < env->screens->nscreens && !target; i++)
        if (!strcmp(env->screens->screens[i].table, l->sc->fix_into))
            target = &env->screens->screens[i];
    esis_record *q = qt && id > 0 ? db_record_load(db, qt, id) : NULL;
    char err[600] = "", msg[1024];
    char **keys = NULL, **values = NULL;
    int n = 0, quit = -1;
    io_mapping *m = q ? io_mapping_load(env->app->home, record_get(q, "kind"), err, sizeof err) : NULL;
    ui_screen_form *sf = NULL;
    if (!target || !q || !m || db_json_split(db, record_get(q, "fields"), &keys, &values, &n) != 0 ||
        !(sf = ui_screen_form_open(env, target, 0, err, sizeof err))) {
        snprintf(msg, sizeof msg, "%s %s", ui_screen_msg(env, "ui.fix_failed"),
                 *err ? err : !q ? ui_screen_msg(env, "ui.gone") : l->sc->fix_into);
        ui_screen_list_status(l, UI_STATUS_ERROR, msg);
        goto done;
    }
    ui_fix_fill(sf, m, keys, values, n);
    long long saved = 0;
    ui_form_result r = ui_screen_form_run(sf, &saved);
    ui_screen_form_free(sf);
    quit = r == UI_FORM_QUIT ? 1 : -1;
    if (saved) {
        db_save_info info;
        record_set(q, "resolved", "1");
        if (db_record_save(db, q, false, &info) == DB_SAVED) {
            ui_screen_list_status(l, UI_STATUS_INFO, ui_screen_msg(env, "ui.fix_resolved"));
        } else {
            snprintf(msg, sizeof msg, "%s %s", ui_screen_msg(env, "ui.failed"), info.message);
            ui_screen_list_status(l, UI_STATUS_ERROR, msg);
        }
        ui_screen_list_reload(l);
    }
done:
    db_json_split_free(keys, values, n);
    io_mapping_free(m);
    record_free(q);
    ui_screen_list_repaint(l);
    return quit;
}

int ui_screen_list_actions(ui_screen_list *l)
{
    if (l->sc->fix_into)
        return ui_screen_list_fix(l);
    if (l->sc->nactions)
        return ui_screen_list_submission(l);
    char kind[256];
    if (ui_action_import_kind(l->env->app, l->sc->table, kind, sizeof kind)) {
        char outcome[1024];
        ui_status_kind sk = UI_STATUS_INFO;
        bool quit = ui_action_import_file(l->env, l->env->screens, kind,
                                          l->sc->title[l->env->lang], &sk, outcome,
                                          sizeof outcome);
        l->count = -1;
        ui_table_reload(l->table);
        ui_screen_list_repaint(l);
        if (*outcome)   /* replaces "importing...": what happened stays in view */
            ui_screen_list_status(l, sk, outcome);
        return quit ? 1 : -1;
    }
    ui_screen_list_status(l, UI_STATUS_WARNING, ui_screen_msg(l->env, "ui.no_actions"));
    return -1;
}

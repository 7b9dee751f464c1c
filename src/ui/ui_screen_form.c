/*
 * ui_screen_form: a record in a ui_form, checked by the rules engine and
 * saved through db_record_save (see include/esis/ui_screen_form.h).
 *
 * The form holds text as typed (BE dates, labels of codes); the record is
 * rebuilt from ui_form_value_db at every check, on a copy of the record as
 * loaded, so columns the form does not show (round_code, bookkeeping, a
 * personal column masked for this user) keep their stored values and the
 * rules see the whole row.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <curses.h>
#include "esis/auth.h"
#include "esis/db.h"
#include "esis/draft.h"
#include "esis/io.h"
#include "esis/ui_signal.h"
#include "esis/ui_audit.h"
#include "esis/ui_dialog.h"
#include "esis/rules.h"
#include "esis/strbuf.h"
#include "esis/text.h"
#include "esis/ui_screen_form.h"

const char *ui_screen_msg(const ui_screen_env *env, const char *key)
{
    return ui_msg(env->ctx, key);
}

void ui_screen_env_init(ui_screen_env *env, esis_app *app, ui_ctx *ctx,
                        int lang)
{
    memset(env, 0, sizeof *env);
    env->app = app;
    env->ctx = ctx;
    env->lang = lang;
    app_rules_env(app, NULL, &env->rules, &env->round);
    env->rules.round_code = env->round.code;
    const char *db = app->db_path ? strrchr(app->db_path, '/') : NULL;
    db = db ? db + 1 : app->db_path ? app->db_path : "";
    if (app->user)
        snprintf(env->who, sizeof env->who, "%s (%s) · %s · %s %s", app->user->login,
                 app->user->role, db, ui_msg(ctx, "ui.round"), env->round.code);
    else
        snprintf(env->who, sizeof env->who, "%s · %s %s", db, ui_msg(ctx, "ui.round"),
                 env->round.code);
}

static const esis_table *ui_screen_table(const ui_screen_env *env,
                                         const ui_screen *sc)
{
    return schema_table(env->app->schema, sc->table);
}

/* ---- the record behind the form -------------------------------------- */

esis_record *ui_screen_form_record(ui_screen_form *sf)
{
    esis_record *r = record_dup(sf->rec);
    if (!r)
        return NULL;
    for (int i = 0; i < sf->form->n; i++) {
        /* as long as the value needs: a stored form is never longer than
         * the typed one but for a date's ISO form and a number written out
         * again (norm_value asks 32 bytes for one, "%.15g") */
        size_t sz = strlen(ui_form_value(sf->form, i)) + 64;
        char *v = malloc(sz);
        bool ok = v && ui_form_value_db(sf->form, i, v, sz) &&
                  record_set(r, sf->fields[i].column, v) == 0;
        free(v);
        if (!ok) {
            record_free(r);
            return NULL;
        }
    }
    return r;
}

static char ui_screen_severity(rules_severity s)
{
    return s == RULES_ERROR ? '!' : '?';
}

static const char *ui_screen_flag_text(const ui_screen_env *env,
                                       const rules_flag *fl)
{
    return env->lang ? fl->message_en : fl->message_th;
}

/* Left a field: the rules that point at it, on the record as typed. */
static int ui_screen_form_validate(void *user, ui_form *form, int field,
                                   ui_form_flags *out)
{
    ui_screen_form *sf = user;
    rules_set *rs = sf->env->app->rules;
    if (!sf->sc->rules || !rs)
        return 0;
    esis_record *r = ui_screen_form_record(sf);
    if (!r)
        return 0;   /* a bad date: the form's own check says so */
    rules_flags flags = {0};
    int rc = rules_eval_field(rs, r, form->fields[field].column, &sf->env->rules, &flags);
    for (int k = 0; rc >= 0 && k < flags.n; k++) {
        const rules_flag *fl = &flags.v[k];
        int at = fl->field ? ui_form_field_index(form, fl->field) : -1;
        const char *msg = ui_screen_flag_text(sf->env, fl);
        at = at >= 0 ? at : field;
        /* a rule over two fields is met leaving either: one flag, the
         * latest (every field is checked again before a save) */
        for (int j = 0; j < out->n; j++)
            if (out->v[j].field == at && !strcmp(out->v[j].message, msg)) {
                free(out->v[j].message);
                memmove(out->v + j, out->v + j + 1, (size_t)(out->n - j - 1) * sizeof *out->v);
                out->n--;
                break;
            }
        ui_form_flags_add(out, at, ui_screen_severity(fl->severity), msg);
    }
    rules_flags_free(&flags);
    record_free(r);
    return rc < 0 ? -1 : 0;
}

/* The reason a save was refused, in the user's language. */
static void ui_screen_save_reason(const ui_screen_env *env, db_save_result res,
                                  const db_save_info *info, char *err,
                                  size_t errsz)
{
    static const char *const keys[] = {
        [DB_DENIED] = "ui.denied", [DB_CLOSED] = "ui.closed",
        [DB_INVALID] = "ui.invalid", [DB_FAILED] = "ui.failed",
    };
    if (res == DB_CONFLICT && *info->conflict_by) {
        /* "2024-06-10T10:11:12" shown as "10/06/2567 10:11" */
        char day[16], when[48];
        text_date d;
        snprintf(day, sizeof day, "%.10s", info->conflict_at);
        if (text_date_parse(day, &d))
            text_date_be(d, day);
        snprintf(when, sizeof when, "%s %.5s", day,
                 strlen(info->conflict_at) > 11 ? info->conflict_at + 11 : "");
        snprintf(err, errsz, "%s %s %s; %s %s.", ui_screen_msg(env, "ui.conflict"),
                 info->conflict_by, when, ui_screen_msg(env, "ui.conflict_fields"),
                 info->conflict_fields);
    } else if (res == DB_CONFLICT) {
        snprintf(err, errsz, "%s", ui_screen_msg(env, "ui.gone"));
    } else {
        snprintf(err, errsz, "%s %s", ui_screen_msg(env, keys[res] ? keys[res] : "ui.failed"),
                 info->message);
    }
}

/* Someone saved between this user's load and save.  Each field on the
 * form is one of:
 *   - changed by them only (theirs differs from the loaded base, the
 *     form's value does not): the form takes theirs, so the next save does
 *     not write the old value back over their change;
 *   - changed by both, differently: the form keeps this user's value and
 *     the field gets a '?' flag saying what they wrote;
 *   - otherwise as it is.
 * The caller then makes `cur` the form's base, so the columns the form
 * does not show are theirs too, and the next save changes only what this
 * user changed.  The message (appended to msg) names the fields of both. */
static void ui_screen_form_merge(ui_screen_form *sf, const esis_record *mine,
                                 const esis_record *cur, char *msg, size_t msgsz)
{
    ui_form *form = sf->form;
    strbuf both = STRBUF_INIT;
    int taken = 0;
    for (int i = 0; i < form->n; i++) {
        const char *col = sf->fields[i].column;
        const char *base = record_get(sf->rec, col), *theirs = record_get(cur, col);
        const char *my = record_get(mine, col);
        base = base ? base : "";
        theirs = theirs ? theirs : "";
        my = my ? my : "";
        if (!strcmp(base, theirs) || !strcmp(my, theirs))
            continue;                       /* they did not change it, or
                                               both wrote the same */
        if (!strcmp(my, base)) {
            ui_form_set_value(form, i, theirs);
            taken++;
            continue;
        }
        char *flag = NULL;
        size_t n = strlen(theirs) + 256;
        if ((flag = malloc(n)) != NULL) {
            snprintf(flag, n, "%s %s", ui_screen_msg(sf->env, "ui.conflict_both_one"),
                     *theirs ? theirs : "-");
            ui_form_flags_add(&form->flags, i, '?', flag);   /* until the next save */
            free(flag);
        }
        strbuf_addf(&both, "%s%s", both.len ? ", " : "", form->fields[i].label);
    }
    form->dirty |= UI_FORM_DIRTY_FIELDS;
    snprintf(msg, msgsz, "%s%s%s%s%s %s", taken ? " " : "",
             taken ? ui_screen_msg(sf->env, "ui.conflict_merged") : "",
             both.len ? " " : "", both.len ? ui_screen_msg(sf->env, "ui.conflict_both") : "",
             both.len ? strbuf_str(&both) : "", ui_screen_msg(sf->env, "ui.conflict_save"));
    strbuf_free(&both);
}

static int ui_screen_form_save(void *user, ui_form *form, char *err,
                               size_t errsz)
{
    (void)form;
    ui_screen_form *sf = user;
    ui_screen_env *env = sf->env;
    esis_record *r = ui_screen_form_record(sf);
    if (!r) {
        snprintf(err, errsz, "%s", ui_screen_msg(env, "ui.bad_date"));
        return 1;
    }
    if (sf->sc->rules && env->app->rules) {
        rules_flags flags = {0};
        rules_eval_record(env->app->rules, r, &env->rules, &flags);
        for (int k = 0; k < flags.n; k++) {
            if (flags.v[k].severity != RULES_ERROR)
                continue;
            snprintf(err, errsz, "%s", ui_screen_flag_text(env, &flags.v[k]));
            rules_flags_free(&flags);
            record_free(r);
            return 1;
        }
        rules_flags_free(&flags);
    }
    db_save_info info;
    db_save_result res = db_record_save(env->app->db, r, false, &info);
    if (res == DB_SAVED) {
        record_free(sf->rec);
        sf->rec = r;
        sf->conflict = false;
        return 0;
    }
    ui_screen_save_reason(env, res, &info, err, errsz);
    if (res == DB_CONFLICT && *info.conflict_by) {
        esis_record *cur = db_record_load(env->app->db, r->table, r->id);
        if (cur) {
            size_t used = strlen(err);
            ui_screen_form_merge(sf, r, cur, err + used, errsz - used);
            record_free(sf->rec);
            sf->rec = cur;   /* the new base: the next F2 saves over it */
        }
        sf->conflict = true;
    }
    record_free(r);
    return 1;
}

/* ---- open ---------------------------------------------------------------- */

/* A new record: the current round and, for a school officer with one
 * school, that school (which the form then shows read-only). */
static void ui_screen_form_defaults(ui_screen_form *sf)
{
    const esis_table *t = sf->rec->table;
    const auth_user *u = sf->env->app->user;
    db_record_defaults(sf->env->app->db, sf->rec);
    if (t->round_col >= 0)
        record_set_i(sf->rec, t->round_col, sf->env->round.code);
    if (t->school_col >= 0 && u && !u->session.all_schools && u->nschools == 1) {
        record_set_i(sf->rec, t->school_col, u->schools[0]);
        for (int i = 0; i < sf->sc->nform; i++)
            if (!strcmp(sf->fields[i].column, "school_code"))
                sf->fields[i].read_only = true;
    }
}

ui_screen_form *ui_screen_form_open(ui_screen_env *env, const ui_screen *sc,
                                    long long id, char *err, size_t errsz)
{
    const esis_table *t = ui_screen_table(env, sc);
    if (!t) {
        snprintf(err, errsz, "%s", ui_screen_msg(env, "ui.failed"));
        return NULL;
    }
    esis_record *rec = id > 0 ? db_record_load(env->app->db, t, id) : record_new(t);
    if (!rec) {
        snprintf(err, errsz, "%s", ui_screen_msg(env, "ui.gone"));
        return NULL;
    }
    return ui_screen_form_open_record(env, sc, rec, err, errsz);
}

/* Each field cleaned as the importer cleans its column (io_table_norms),
 * so a value typed and the same value imported are stored the same; a
 * number no mapping imports is whole or not by its column's SQL type. */
static void ui_screen_form_norms(ui_screen_form *sf)
{
    const esis_conf *conf = sf->env->app->conf;
    const esis_table *t = sf->rec->table;
    norm_kind *kinds = calloc((size_t)t->ncols + 1, sizeof *kinds);
    const conf_codelist **codes = calloc((size_t)t->ncols + 1, sizeof *codes);
    if (kinds && codes)
        io_table_norms(sf->env->app->home, conf, t, kinds, codes);
    for (int i = 0; kinds && codes && i < sf->sc->nform; i++) {
        const ui_field_desc *d = &sf->fields[i];
        const char *lookup = sf->sc->fields[sf->sc->form[i]].lookup;
        const conf_codelist *own = lookup ? conf_codes(conf, lookup) : NULL;
        int col = schema_col(t, d->column);
        norm_kind k = col >= 0 ? kinds[col] : NORM_BY_TYPE;
        if (k == NORM_BY_TYPE && d->type == UI_FIELD_NUMBER && col >= 0)
            k = norm_kind_of_sqltype(t->types[col]) == NORM_INT ? NORM_INT : NORM_REAL;
        if (k == NORM_BY_TYPE && d->type == UI_FIELD_CODE)
            k = NORM_CODE;
        ui_form_set_norm(sf->form, i, k, own ? own : col >= 0 ? codes[col] : NULL);
    }
    free(kinds);
    free(codes);
}

ui_screen_form *ui_screen_form_open_record(ui_screen_env *env, const ui_screen *sc,
                                           esis_record *rec, char *err, size_t errsz)
{
    ui_screen_form *sf = calloc(1, sizeof *sf);
    if (!sf) {
        record_free(rec);
        snprintf(err, errsz, "out of memory");
        return NULL;
    }
    sf->env = env;
    sf->sc = sc;
    sf->rec = rec;
    /* a row of a view has no id: it is shown by its key, as it stands */
    bool stored = rec->id > 0 || rec->table->id_col < 0;
    sf->fields = ui_screen_form_fields(sc, env->lang);
    if (!sf->fields)
        goto fail;
    if (!stored)
        ui_screen_form_defaults(sf);
    char *key = stored ? record_key_text(sf->rec) : NULL;
    snprintf(sf->title, sizeof sf->title, "%s: %s", sc->title[env->lang],
             key ? key : ui_screen_msg(env, "ui.new_record"));
    free(key);
    sf->form = ui_form_new(env->ctx, sf->title, sf->fields, sc->nform,
                           ui_screen_form_validate, ui_screen_form_save, sf);
    if (!sf->form)
        goto fail;
    ui_screen_form_norms(sf);
    for (int i = 0; i < sc->nform; i++)
        ui_form_set_value(sf->form, i, record_get(sf->rec, sf->fields[i].column));
    return sf;
fail:
    snprintf(err, errsz, "out of memory");
    ui_screen_form_free(sf);
    return NULL;
}

void ui_screen_form_free(ui_screen_form *sf)
{
    if (!sf)
        return;
    ui_form_free(sf->form);
    free(sf->fields);
    record_free(sf->rec);
    free(sf);
}

int ui_screen_record_delete(ui_screen_env *env, const ui_screen *sc,
                            long long id, char *err, size_t errsz)
{
    const esis_table *t = ui_screen_table(env, sc);
    esis_record *r = t ? db_record_load(env->app->db, t, id) : NULL;
    if (!r) {
        snprintf(err, errsz, "%s", ui_screen_msg(env, "ui.gone"));
        return 1;
    }
    db_save_info info;
    db_save_result res = db_record_delete(env->app->db, r, false, &info);
    if (res != DB_SAVED)
        ui_screen_save_reason(env, res, &info, err, errsz);
    record_free(r);
    return res != DB_SAVED;
}

/* A stop while typing: keep a draft, then leave or (an interrupt the user
 * chose to ignore) go on.  True when the form must close. */
static bool ui_screen_form_stopped(ui_screen_form *sf)
{
    ui_stop why = ui_signal_pending();
    char err[512] = "", msg[700];
    int kept = 0;
    if (ui_form_modified(sf->form) || sf->draft_id)
        kept = ui_screen_form_keep_draft(sf, ui_signal_draft_reason(why), err, sizeof err);
    if (why != UI_STOP_INTERRUPT)
        return true;
    ui_signal_clear_interrupt();
    if (kept != 0) {
        snprintf(msg, sizeof msg, "%s %s", ui_screen_msg(sf->env, "ui.draft_failed"), err);
        ui_dialog_message(sf->env->ctx, sf->title, msg);
        return false;   /* nothing kept: never leave on a ^C then */
    }
    bool leave = ui_dialog_confirm(sf->env->ctx, ui_screen_msg(sf->env,
                                   sf->draft_id ? "ui.draft_kept_quit" : "ui.confirm_quit"));
    sf->form->dirty |= UI_FORM_DIRTY_ALL;
    return leave;
}

ui_form_result ui_screen_form_run(ui_screen_form *sf, long long *saved_id)
{
    char err[256];
    ui_form_result r;
    for (;;) {
        r = ui_form_run(sf->form);
        if (r == UI_FORM_WANT_HISTORY) {
            ui_audit_record(sf->env, sf->sc->table, sf->rec->id, sf->title);
            sf->form->dirty |= UI_FORM_DIRTY_ALL;
            continue;
        }
        if (r != UI_FORM_STOPPED)
            break;
        if (ui_screen_form_stopped(sf))
            return *saved_id = 0, UI_FORM_QUIT;   /* the draft stays */
    }
    /* saved, or discarded after the question: the draft has served */
    if (sf->draft_id && (r == UI_FORM_SAVED || ui_form_modified(sf->form) ||
                         r == UI_FORM_CANCELLED))
        if (db_draft_delete(sf->env->app->db, sf->draft_id, err, sizeof err) == 0)
            sf->draft_id = 0;
    *saved_id = r == UI_FORM_SAVED ? sf->rec->id : 0;
    return r;
}

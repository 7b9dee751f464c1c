/*
 * ui_drafts: keeping a form as a draft, opening it again, and the list of
 * the user's drafts (see include/esis/ui_drafts.h).
 *
 * A draft holds every field of the form as typed (ui_form_value: BE dates,
 * numbers with their commas, a code or its label), so that opening it puts
 * back exactly what was on the screen; the conversion to stored values
 * happens at the save, as for any typing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <curses.h>
#include "esis/db.h"
#include "esis/draft.h"
#include "esis/text.h"
#include "esis/ui_dialog.h"
#include "esis/ui_drafts.h"
#include "esis/ui_screen_list.h"

int ui_screen_form_keep_draft(ui_screen_form *sf, const char *reason,
                              char *err, size_t errsz)
{
    ui_form *f = sf->form;
    const char **cols = calloc((size_t)f->n + 1, sizeof *cols);
    const char **vals = calloc((size_t)f->n + 1, sizeof *vals);
    char **copies = calloc((size_t)f->n + 1, sizeof *copies);
    int rc = -1;
    if (!cols || !vals || !copies) {
        snprintf(err, errsz, "out of memory");
        goto done;
    }
    for (int i = 0; i < f->n; i++) {
        cols[i] = f->fields[i].column;
        copies[i] = strdup(ui_form_value(f, i));  /* the editor's buffer is reused */
        if (!copies[i]) {
            snprintf(err, errsz, "out of memory");
            goto done;
        }
        vals[i] = copies[i];
    }
    long long id = 0;
    rc = db_draft_save(sf->env->app->db, sf->sc->name, sf->sc->table, sf->rec->id,
                       sf->rec->version, f->n, cols, vals, f->fields[f->cur].column,
                       reason, &id, err, errsz);
    if (rc == 0) {
        char ignore[64];
        if (sf->draft_id && sf->draft_id != id)
            db_draft_delete(sf->env->app->db, sf->draft_id, ignore, sizeof ignore);
        sf->draft_id = id;
    }
done:
    for (int i = 0; copies && i < f->n; i++)
        free(copies[i]);
    free(copies);
    free(cols);
    free(vals);
    return rc;
}

ui_screen_form *ui_screen_form_open_draft(ui_screen_env *env, const ui_screen *sc,
                                          const db_draft_entry *d, char *err,
                                          size_t errsz)
{
    ui_screen_form *sf = ui_screen_form_open(env, sc, d->row_id, err, errsz);
    if (!sf)
        return NULL;
    if (d->row_id > 0)
        sf->rec->version = d->row_version;   /* the save checks this one */
    for (int k = 0; k < d->nfields; k++) {
        int i = ui_form_field_index(sf->form, d->columns[k]);
        if (i >= 0)
            ui_form_set_value(sf->form, i, d->values[k] ? d->values[k] : "");
    }
    /* its rules run at once: a draft kept mid-entry may hold a value
     * that is wrong, and it comes back with its flags and the reason */
    ui_form_check_all(sf->form);
    int focus = d->focus ? ui_form_field_index(sf->form, d->focus) : -1;
    if (focus >= 0)
        ui_form_focus(sf->form, focus);
    ui_form_set_modified(sf->form);
    sf->draft_id = d->id;
    return sf;
}

/* ---- the list ------------------------------------------------------------ */

/* "students · 1103700012345 · 10/06/2567 10:11 · hangup" */
static char *ui_drafts_line(ui_screen_env *env, const ui_screens *screens,
                            const db_draft_entry *d)
{
    const ui_screen *sc = ui_screens_find(screens, d->screen);
    char when[40], day[16];
    text_date dt;
    snprintf(day, sizeof day, "%.10s", d->saved_at ? d->saved_at : "");
    if (text_date_parse(day, &dt))
        text_date_be(dt, day);
    snprintf(when, sizeof when, "%s %.5s", day,
             d->saved_at && strlen(d->saved_at) > 11 ? d->saved_at + 11 : "");
    char reason[48];
    snprintf(reason, sizeof reason, "ui.draft_%s", d->reason ? d->reason : "manual");
    char *line = malloc(512);
    if (line)
        snprintf(line, 512, "%s · %s · %s · %s",
                 sc ? sc->title[env->lang] : d->screen,
                 d->row_id > 0 ? ui_screen_msg(env, "ui.draft_existing")
                               : ui_screen_msg(env, "ui.new_record"),
                 when, ui_screen_msg(env, reason));
    return line;
}

/* Open draft id in its screen's form; true when the user quit esis. */
static bool ui_drafts_open(ui_screen_env *env, const ui_screens *screens,
                           long long id)
{
    char err[512] = "";
    db_draft_entry *d = db_draft_load(env->app->db, id, err, sizeof err);
    const ui_screen *sc = d ? ui_screens_find(screens, d->screen) : NULL;
    ui_screen_form *sf = sc ? ui_screen_form_open_draft(env, sc, d, err, sizeof err) : NULL;
    if (!sf) {
        char msg[700];
        snprintf(msg, sizeof msg, "%s %s", ui_screen_msg(env, "ui.draft_cannot_open"),
                 *err ? err : d ? d->screen : "");
        ui_dialog_message(env->ctx, ui_screen_msg(env, "ui.drafts_title"), msg);
        db_draft_free(d);
        return false;
    }
    db_draft_free(d);
    /* over its screen's list, where the saved record then shows */
    return ui_screen_list_run_form(env, sc, sf);
}

bool ui_drafts_run(ui_screen_env *env, const ui_screens *screens, bool offer)
{
    db_draft_entry *v = NULL;
    int n = 0;
    char err[512] = "";
    if (db_draft_list(env->app->db, &v, &n, err, sizeof err) != 0) {
        if (!offer)
            ui_dialog_message(env->ctx, ui_screen_msg(env, "ui.drafts_title"), err);
        return false;
    }
    if (n == 0) {
        if (!offer)
            ui_dialog_message(env->ctx, ui_screen_msg(env, "ui.drafts_title"),
                              ui_screen_msg(env, "ui.no_drafts"));
        db_draft_list_free(v, n);
        return false;
    }
    if (offer && !ui_dialog_confirm(env->ctx, ui_screen_msg(env, n == 1 ? "ui.draft_offer"
                                                                       : "ui.drafts_offer"))) {
        db_draft_list_free(v, n);
        return false;
    }
    long long id = v[0].id;
    int chosen = 0;
    if (n > 1) {
        char **lines = calloc((size_t)n, sizeof *lines);
        for (int i = 0; lines && i < n; i++)
            lines[i] = ui_drafts_line(env, screens, &v[i]);
        chosen = lines ? ui_dialog_list(env->ctx, ui_screen_msg(env, "ui.drafts_title"),
                                        (const char *const *)lines, n, 0) : -1;
        for (int i = 0; lines && i < n; i++)
            free(lines[i]);
        free(lines);
        id = chosen >= 0 ? v[chosen].id : 0;
    }
    db_draft_list_free(v, n);
    return id > 0 && ui_drafts_open(env, screens, id);
}

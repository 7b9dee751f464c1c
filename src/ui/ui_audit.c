/*
 * ui_audit: the audit trail viewers (include/esis/ui_audit.h).  Each audit
 * entry becomes a line "date time  who  action  table key" followed by one
 * indented line per changed field, "field: old → new", in the pager.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <curses.h>
#include "esis/auth.h"
#include "esis/db.h"
#include "esis/strbuf.h"
#include "esis/text.h"
#include "esis/ui_audit.h"
#include "esis/ui_dialog.h"
#include "esis/ui_pager.h"

typedef struct ui_audit_fill {
    ui_screen_env *env;
    ui_pager      *pager;
    int            entries;
    bool           with_key;   /* the school's trail: name each record */
} ui_audit_fill;

static const ui_hint ui_audit_hints[] = {
    {UI_ACT_HELP, "ui.hint_help"}, {UI_ACT_BACK, "ui.hint_back"},
    {UI_ACT_QUIT, "ui.hint_quit"},
};

/* "2024-06-10T03:11:12.123" (UTC, as stored) as "10/06/2567 03:11". */
static void ui_audit_when(const char *at, char *out, size_t outsz)
{
    char day[16];
    text_date d;
    snprintf(day, sizeof day, "%.10s", at ? at : "");
    if (text_date_parse(day, &d))
        text_date_be(d, day);
    snprintf(out, outsz, "%s %.5s", day, at && strlen(at) > 11 ? at + 11 : "");
}

static int ui_audit_entry(const db_history_entry *e, void *ctx)
{
    ui_audit_fill *f = ctx;
    if (f->entries >= UI_AUDIT_MAX)
        return 1;
    f->entries++;
    char when[40], action[48];
    ui_audit_when(e->at, when, sizeof when);
    snprintf(action, sizeof action, "ui.audit_%s", e->action ? e->action : "update");
    strbuf line = STRBUF_INIT;
    strbuf_addf(&line, "%s  %s  %s", when, e->actor ? e->actor : "?",
                ui_screen_msg(f->env, action));
    if (f->with_key)
        strbuf_addf(&line, "  %s %s", e->table ? e->table : "", e->row_key ? e->row_key : "");
    if (e->origin)
        strbuf_addf(&line, "  (%s)", e->origin);
    ui_pager_add(f->pager, strbuf_str(&line));
    for (int i = 0; i < e->nchanges; i++) {
        const db_change *c = &e->changes[i];
        if (!c->old_value && !c->new_value)
            continue;   /* an empty field of an added row */
        strbuf_reset(&line);
        strbuf_addf(&line, "    %s: %s → %s", c->field, c->old_value ? c->old_value : "∅",
                    c->new_value ? c->new_value : "∅");
        ui_pager_add(f->pager, strbuf_str(&line));
    }
    strbuf_free(&line);
    return 0;
}

static ui_key ui_audit_show(ui_screen_env *env, ui_pager *p, int entries, const char *err,
                            bool at_end)
{
    char status[600];
    if (err && *err)
        snprintf(status, sizeof status, "%s %s", ui_screen_msg(env, "ui.failed"), err);
    else if (entries == 0)
        snprintf(status, sizeof status, "%s", ui_screen_msg(env, "ui.audit_none"));
    else
        snprintf(status, sizeof status, "%d %s%s", entries, ui_screen_msg(env, "ui.audit_entries"),
                 entries >= UI_AUDIT_MAX ? ui_screen_msg(env, "ui.audit_more") : "");
    ui_pager_set_status(p, err && *err ? UI_STATUS_ERROR : UI_STATUS_INFO, status);
    if (at_end)
        p->nav.sel = p->n - 1;   /* oldest first: open on the latest change */
    p->hints = ui_audit_hints;
    p->nhints = 3;
    ui_key k = ui_pager_run(p, NULL, 0);
    ui_pager_clear(p);
    return k;
}

bool ui_audit_run(ui_screen_env *env, const char *label)
{
    const auth_user *u = env->app->user;
    char school[64] = "", err[512] = "", title[512];
    if (u && !u->session.all_schools && u->nschools > 0) {
        snprintf(school, sizeof school, "%s", u->schools[0]);
    } else if (!ui_dialog_prompt(env->ctx, label, ui_screen_msg(env, "ui.audit_school"),
                                 school, sizeof school, 20)) {
        return false;
    }
    snprintf(title, sizeof title, "%s · %s %s", label,
             *school ? school : ui_screen_msg(env, "ui.audit_all_schools"),
             env->round.code);
    ui_pager p = {.ctx = env->ctx, .title = title, .right = env->who};
    ui_audit_fill f = {env, &p, 0, true};
    int rc;
    if (*school) {
        rc = db_history_school(env->app->db, school, env->round.code, ui_audit_entry, &f,
                               err, sizeof err);
    } else {
        db_history_filter filter = {.round_code = env->round.code, .newest_first = true,
                                    .limit = UI_AUDIT_MAX};
        rc = db_history(env->app->db, &filter, ui_audit_entry, &f, err, sizeof err);
    }
    ui_key k = ui_audit_show(env, &p, f.entries, rc ? err : NULL, false);
    return ui_keys_is(&env->ctx->keys, k, UI_ACT_QUIT);
}

void ui_audit_record(ui_screen_env *env, const char *table, long long row_id,
                     const char *title)
{
    char err[512] = "", t[512];
    snprintf(t, sizeof t, "%s · %s", ui_screen_msg(env, "ui.history_title"), title);
    ui_pager p = {.ctx = env->ctx, .title = t, .right = env->who};
    ui_audit_fill f = {env, &p, 0, false};
    int rc = row_id > 0 ? db_history_record(env->app->db, table, row_id, ui_audit_entry, &f,
                                            err, sizeof err) : 0;
    ui_audit_show(env, &p, f.entries, rc ? err : NULL, true);
}

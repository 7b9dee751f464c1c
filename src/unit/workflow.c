/*
 * workflow.c: activities, the runs of a workflow (see workflow.h): start,
 * done, the director's approval or return, and reading them back.
 *
 * Each action is one transaction: the activity's row is updated with an
 * optimistic version check (two people pressing "done" at once move it one
 * step, not two) and a row is added to activity_steps.  The activities
 * table is audited by its triggers, so the audit trail says who moved what
 * even if activity_steps were ever lost.  The current step's title is copied
 * into the row so that the TUI's views need no conf/workflows.
 */
#include "esis/workflow.h"
#include "esis/app.h"
#include "esis/db.h"
#include "esis/text.h"
#include "unit_internal.h"

#include <stdlib.h>
#include <string.h>

#define NOW "strftime('%Y-%m-%dT%H:%M:%S','now')"

static void copy_col(char *dst, size_t n, sqlite3_stmt *st, int col)
{
    const unsigned char *s = sqlite3_column_text(st, col);
    snprintf(dst, n, "%s", s ? (const char *)s : "");
}

/* Read an activity and its row version. */
static int load(esis_app *app, long long id, workflow_activity *a, long long *version,
                char *err, size_t errsz)
{
    sqlite3_stmt *st = NULL;
    memset(a, 0, sizeof *a);
    if (db_prepare(app->db, "SELECT id, workflow, title, coalesce(round_code, ''), coalesce(academic_year, 0),"
                            " step, state, coalesce(holder, ''), since, row_version, coalesce(awaiting, '') FROM activities WHERE id = ?1",
                   &st) != SQLITE_OK) {
        snprintf(err, errsz, "%s", sqlite3_errmsg(app->db));
        return -1;
    }
    sqlite3_bind_int64(st, 1, id);
    int rc = -1;
    if (db_step(st) == SQLITE_ROW) {
        a->id = sqlite3_column_int64(st, 0);
        copy_col(a->workflow, sizeof a->workflow, st, 1);
        copy_col(a->title, sizeof a->title, st, 2);
        copy_col(a->round_code, sizeof a->round_code, st, 3);
        a->academic_year = sqlite3_column_int(st, 4);
        a->step = sqlite3_column_int(st, 5);
        copy_col(a->state, sizeof a->state, st, 6);
        copy_col(a->holder, sizeof a->holder, st, 7);
        copy_col(a->since, sizeof a->since, st, 8);
        if (version) *version = sqlite3_column_int64(st, 9);
        copy_col(a->awaiting, sizeof a->awaiting, st, 10);
        rc = 0;
    } else {
        unit_fail(app, err, errsz, "activity.not_found", "%lld", id);
    }
    sqlite3_finalize(st);
    return rc;
}

int workflow_get(esis_app *app, long long id, workflow_activity *out, char *err, size_t errsz)
{
    return load(app, id, out, NULL, err, errsz);
}

/* The step's title in the office's language, stored with the activity. */
static const char *stored_title(const esis_app *app, const workflow *wf, int step)
{
    return workflow_step_title(wf, step, app->conf && !strcmp(app->conf->lang, "en") ? "en" : "th");
}

static int log_step(sqlite3 *db, long long id, int step, const char *action, const char *note,
                    char *err, size_t errsz)
{
    char ids[32], steps[16];
    snprintf(ids, sizeof ids, "%lld", id);
    snprintf(steps, sizeof steps, "%d", step);
    const char *args[] = { ids, steps, action, unit_actor(db), note && *note ? note : NULL };
    return unit_exec(db, "INSERT INTO activity_steps(activity_id, step, action, by_login, note)"
                         " VALUES (?1, ?2, ?3, ?4, ?5)", args, 5, NULL, err, errsz);
}

int workflow_start(esis_app *app, const workflow *wf, const char *title, const char *round, int year,
                   long long *id, char *err, size_t errsz)
{
    sqlite3 *db = app->db;
    if (!unit_is_office_writer(db)) return unit_fail(app, err, errsz, "activity.not_office", NULL);
    if (!title || !*title) return unit_fail(app, err, errsz, "activity.needs_title", NULL);
    conf_round r;
    if (round && *round) {
        if (!conf_round_get(app->conf, round, &r)) return unit_fail(app, err, errsz, "activity.bad_round", "%s", round);
        if (year <= 0) year = r.year;
    }
    if (year < 0 || (year > 0 && (year < 2400 || year > 2700)))
        return unit_fail(app, err, errsz, "activity.bad_year", "%d", year);
    char years[16], steps[16];
    snprintf(years, sizeof years, "%d", year);
    snprintf(steps, sizeof steps, "%d", wf->nsteps);
    const char *args[] = { wf->name, title, round && *round ? round : NULL, year > 0 ? years : NULL,
                           unit_actor(db), stored_title(app, wf, 1), steps };
    if (db_begin(db) != SQLITE_OK) { snprintf(err, errsz, "%s", sqlite3_errmsg(db)); return -1; }
    int rc = unit_exec(db, "INSERT INTO activities(workflow, title, round_code, academic_year, step, state, holder,"
                           " step_title, steps, updated_by) VALUES (?1, ?2, ?3, ?4, 1, 'running', ?5, ?6, ?7, esis_actor())",
                       args, 7, NULL, err, errsz);
    long long newid = sqlite3_last_insert_rowid(db);
    if (!rc) rc = log_step(db, newid, 1, "start", NULL, err, errsz);
    if (!rc && db_commit(db) != SQLITE_OK) { snprintf(err, errsz, "%s", sqlite3_errmsg(db)); rc = -1; }
    if (rc) { db_rollback(db); return -1; }
    if (id) *id = newid;
    return 0;
}

/* Where an action takes an activity: step, state and the role awaited. */
typedef struct target {
    int         step;
    const char *state;
    const char *awaiting;     /* NULL when running or done */
} target;

/* Move activity `a` (read at `version`) to `to`, logging `action` on the
 * step it was at.  One transaction; a concurrent change is refused. */
static int move(esis_app *app, const workflow *wf, const workflow_activity *a, long long version,
                target to, const char *holder, const char *action, const char *note,
                char *err, size_t errsz)
{
    sqlite3 *db = app->db;
    char ids[32], vers[32], steps[16];
    snprintf(ids, sizeof ids, "%lld", a->id);
    snprintf(vers, sizeof vers, "%lld", version);
    snprintf(steps, sizeof steps, "%d", to.step);
    const char *args[] = { steps, to.state, holder, stored_title(app, wf, to.step), ids, vers, to.awaiting };
    if (db_begin(db) != SQLITE_OK) { snprintf(err, errsz, "%s", sqlite3_errmsg(db)); return -1; }
    int changed = 0;
    int rc = unit_exec(db, "UPDATE activities SET step = ?1, state = ?2, holder = ?3, step_title = ?4,"
                           " awaiting = ?7, since = " NOW ", updated_at = " NOW ", updated_by = esis_actor(),"
                           " row_version = row_version + 1 WHERE id = ?5 AND row_version = ?6",
                       args, 7, &changed, err, errsz);
    if (!rc && changed != 1) rc = unit_fail(app, err, errsz, "activity.conflict", "%lld", a->id);
    if (!rc) rc = log_step(db, a->id, a->step, action, note, err, errsz);
    if (!rc && db_commit(db) != SQLITE_OK) { snprintf(err, errsz, "%s", sqlite3_errmsg(db)); rc = -1; }
    if (rc) db_rollback(db);
    return rc;
}

/* Load the activity and its workflow for an action. */
static int prepare(esis_app *app, const workflow_set *set, long long id, workflow_activity *a,
                   long long *version, const workflow **wf, char *err, size_t errsz)
{
    if (load(app, id, a, version, err, errsz)) return -1;
    if (!(*wf = workflow_find(set, a->workflow)))
        return unit_fail(app, err, errsz, "activity.no_workflow", "%s", a->workflow);
    if (!strcmp(a->state, "done")) return unit_fail(app, err, errsz, "activity.finished", "%lld", id);
    return 0;
}

int workflow_done(esis_app *app, const workflow_set *set, long long id, const char *note,
                  char *err, size_t errsz)
{
    workflow_activity a;
    long long version;
    const workflow *wf;
    if (!unit_is_office_writer(app->db)) return unit_fail(app, err, errsz, "activity.not_office", NULL);
    if (prepare(app, set, id, &a, &version, &wf, err, errsz)) return -1;
    if (strcmp(a.state, "running")) return unit_fail(app, err, errsz, "activity.waiting", "%lld", id);
    int step = a.step < 1 ? 1 : a.step > wf->nsteps ? wf->nsteps : a.step;
    const workflow_step *s = &wf->steps[step - 1];
    /* A step that ends with a decision or an acknowledgement is handed to
     * the first of its chain; the holder's "done" does not finish it. */
    target to = { step + 1, "running", NULL };
    if (s->ndeciders) to = (target){ step, "waiting_decision", s->deciders[0] };
    else if (s->acknowledge) to = (target){ step, "waiting_ack", s->acknowledge };
    else if (step == wf->nsteps) to = (target){ step, "done", NULL };
    return move(app, wf, &a, version, to, unit_actor(app->db), "done", note, err, errsz);
}

/* The step after `step`: the next one, or done at the last. */
static target after(const workflow *wf, int step)
{
    return step >= wf->nsteps ? (target){ wf->nsteps, "done", NULL } : (target){ step + 1, "running", NULL };
}

typedef enum decision { DECIDE_APPROVE, DECIDE_RETURN, DECIDE_ACKNOWLEDGE } decision;

/* Where a decision takes activity a: an approval goes to the next role of
 * the step's chain, or past the step after the last; an acknowledgement
 * past the step; a return one step back. */
static target decided(const workflow *wf, const workflow_activity *a, decision d)
{
    if (d == DECIDE_RETURN) return (target){ a->step > 1 ? a->step - 1 : 1, "running", NULL };
    if (d == DECIDE_APPROVE) {
        const workflow_step *s = &wf->steps[a->step - 1];
        for (int i = 0; i + 1 < s->ndeciders; i++)
            if (!strcmp(s->deciders[i], a->awaiting)) return (target){ a->step, "waiting_decision", s->deciders[i + 1] };
    }
    return after(wf, a->step);
}

static int decide(esis_app *app, const workflow_set *set, long long id, decision d,
                  const char *text, char *err, size_t errsz)
{
    static const char *const ACTION[] = { "approve", "return", "acknowledge" };
    workflow_activity a;
    long long version;
    const workflow *wf;
    char *reason = text_dup(text);
    if (text && !reason) return unit_fail(app, err, errsz, "unit.no_memory", NULL);
    if (reason) text_trim(reason);
    int rc = prepare(app, set, id, &a, &version, &wf, err, errsz);
    const char *want = d == DECIDE_ACKNOWLEDGE ? "waiting_ack" : "waiting_decision";
    if (!rc && d == DECIDE_RETURN && !strcmp(a.state, "waiting_ack")) want = a.state;
    if (!rc && strcmp(a.state, want) != 0)
        rc = unit_fail(app, err, errsz, d == DECIDE_ACKNOWLEDGE ? "activity.not_waiting_ack" : "activity.not_waiting",
                       "%lld", id);
    /* The role the step waits for (rows from before the chain: the director). */
    const char *role = !rc && *a.awaiting ? a.awaiting : "director";
    if (!rc && (a.step < 1 || a.step > wf->nsteps)) rc = unit_fail(app, err, errsz, "activity.not_waiting", "%lld", id);
    if (!rc && !unit_may_hold(app->db, role, NULL))
        rc = unit_fail(app, err, errsz, !strcmp(role, "director") ? "activity.not_director" : "activity.not_group_head",
                       NULL);
    if (!rc && d == DECIDE_RETURN && (!reason || !*reason)) rc = unit_fail(app, err, errsz, "activity.needs_reason", NULL);
    if (!rc) rc = move(app, wf, &a, version, decided(wf, &a, d), a.holder, ACTION[d], reason, err, errsz);
    free(reason);
    return rc;
}

int workflow_approve(esis_app *app, const workflow_set *set, long long id, const char *note,
                     char *err, size_t errsz)
{
    return decide(app, set, id, DECIDE_APPROVE, note, err, errsz);
}

int workflow_acknowledge(esis_app *app, const workflow_set *set, long long id, const char *note,
                         char *err, size_t errsz)
{
    return decide(app, set, id, DECIDE_ACKNOWLEDGE, note, err, errsz);
}

int workflow_return(esis_app *app, const workflow_set *set, long long id, const char *reason,
                    char *err, size_t errsz)
{
    return decide(app, set, id, DECIDE_RETURN, reason, err, errsz);
}

int workflow_list(esis_app *app, bool pending_only, workflow_activity_fn fn, void *ctx,
                  char *err, size_t errsz)
{
    sqlite3_stmt *st = NULL;
    const char *sql = pending_only
        ? "SELECT id FROM decisions_pending ORDER BY since, id"
        : "SELECT id FROM activity_list ORDER BY since, id";
    if (db_prepare(app->db, sql, &st) != SQLITE_OK) {
        snprintf(err, errsz, "%s", sqlite3_errmsg(app->db));
        return -1;
    }
    /* Ids first, then each row: the callback may use the connection. */
    long long *ids = NULL;
    int n = 0, rc = 0;
    while (!rc && db_step(st) == SQLITE_ROW) {
        long long *v = realloc(ids, sizeof *v * (size_t)(n + 1));
        if (!v) { rc = unit_fail(app, err, errsz, "unit.no_memory", NULL); break; }
        ids = v;
        ids[n++] = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    for (int i = 0; !rc && i < n; i++) {
        workflow_activity a;
        if ((rc = load(app, ids[i], &a, NULL, err, errsz)) == 0) rc = fn(ctx, &a);
    }
    free(ids);
    return rc;
}

int workflow_history_each(esis_app *app, long long id, workflow_history_fn fn, void *ctx,
                          char *err, size_t errsz)
{
    sqlite3_stmt *st = NULL;
    if (db_prepare(app->db, "SELECT step, action, by_login, at, note FROM activity_steps"
                            " WHERE activity_id = ?1 ORDER BY id", &st) != SQLITE_OK) {
        snprintf(err, errsz, "%s", sqlite3_errmsg(app->db));
        return -1;
    }
    sqlite3_bind_int64(st, 1, id);
    int rc = 0;
    while (!rc && db_step(st) == SQLITE_ROW) {
        workflow_history h;
        memset(&h, 0, sizeof h);
        h.step = sqlite3_column_int(st, 0);
        copy_col(h.action, sizeof h.action, st, 1);
        copy_col(h.by, sizeof h.by, st, 2);
        copy_col(h.at, sizeof h.at, st, 3);
        h.note = (const char *)sqlite3_column_text(st, 4);
        rc = fn(ctx, &h);
    }
    sqlite3_finalize(st);
    return rc;
}

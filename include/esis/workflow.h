/*
 * workflow: the unit's processes as data, and the activities that run them.
 *
 * A workflow is a file conf/workflows/NAME.ini (format in
 * conf/workflows/README.md): a title, a kind (process, or collection for
 * the seven steps of a DMC, B-obec or EMIS round) and numbered steps, each
 * with a Thai and an English title, optionally `decision = director` and
 * the tables of the forms that belong to it.  A step may end with the
 * manual's approval chain (`decision = group_head director`: each approves
 * in turn) or with an acknowledgement (`acknowledge = director`: the last
 * step, "propose to the director", is done when the director has seen it,
 * not when staff mark it).  The director's part may be taken by a deputy
 * the director delegated to for a period (workflow_delegate).
 *
 * An activity is one run of a workflow (a row of `activities`): it starts
 * at step 1 held by the user who started it.  `done` moves it to the next
 * step; done at a decision step hands it to the first role of the step's
 * chain (state waiting_decision, awaiting that role); each approval by the
 * awaited role passes it to the next, the last moves it on; a return (by
 * the awaited role, with a reason) sends it back one step.  Done at an
 * acknowledgement step waits for that role (state waiting_ack) until it
 * acknowledges.  Done at the last plain step, the last approval or the
 * acknowledgement of the last step finishes it (state done).  Every action is a row of `activity_steps` (who, when,
 * note); the activity itself is written through the audited table, in one
 * transaction with its step row.
 *
 * Permissions come from the connection's session: office staff who may
 * write start and advance activities; only the holder of the awaited role
 * decides (a group head, the director or a deputy delegated by the
 * director).  An administrator administers accounts and settings and takes
 * no decision.
 *
 * Ownership: workflow_load_dir returns a workflow_set freed with
 * workflow_set_free; everything inside belongs to it.
 */
#ifndef ESIS_WORKFLOW_H
#define ESIS_WORKFLOW_H

#include <stdbool.h>
#include <stddef.h>
#include "esis/record.h"

struct esis_app;

typedef enum workflow_kind { WORKFLOW_PROCESS, WORKFLOW_COLLECTION } workflow_kind;

typedef struct workflow_step {
    char  *title_th, *title_en;
    bool   decision;          /* ends with a decision or an acknowledgement */
    char **deciders;          /* the approval chain, in order: group_head director */
    int    ndeciders;
    char  *acknowledge;       /* the role that acknowledges it (director), or NULL */
    char **forms;             /* tables of the step's forms */
    int    nforms;
} workflow_step;

typedef struct workflow {
    char          *name;      /* "network" */
    char          *path;      /* "conf/workflows/network.ini" */
    char          *title_th, *title_en;
    workflow_kind  kind;
    workflow_step *steps;     /* steps[0] is step 1 */
    int            nsteps;
} workflow;

typedef struct workflow_set {
    workflow *v;              /* sorted by name */
    int       n;
} workflow_set;

/* Load and check every *.ini in dir; forms are checked against schema
 * (NULL skips that).  0, or -1 with err like
 * "conf/workflows/x.ini [step.3] decision: 'boss' is not a decider (director)". */
int workflow_load_dir(const char *dir, const esis_schema *schema, workflow_set **out,
                      char *err, size_t errsz);
void workflow_set_free(workflow_set *set);

const workflow *workflow_find(const workflow_set *set, const char *name);
const char *workflow_title(const workflow *wf, const char *lang);
/* Title of step (1-based) in lang; "" when out of range. */
const char *workflow_step_title(const workflow *wf, int step, const char *lang);

/* What an activity is, as read back. */
typedef struct workflow_activity {
    long long id;
    char      workflow[65];
    char      title[512];
    char      round_code[24];
    int       academic_year;  /* 0 when none */
    int       step;
    char      state[24];      /* running, waiting_decision, waiting_ack, done */
    char      awaiting[24];   /* the role waited for: group_head, director ("" when running) */
    char      holder[65];
    char      since[32];
} workflow_activity;

/* Start an activity of wf: title required; round (a round code) or year
 * (BE) optional.  0 with *id, or -1 with err (a user-visible message). */
int workflow_start(struct esis_app *app, const workflow *wf, const char *title,
                   const char *round, int year, long long *id, char *err, size_t errsz);

/* The holder finishes the current step (note optional). */
int workflow_done(struct esis_app *app, const workflow_set *set, long long id,
                  const char *note, char *err, size_t errsz);

/* The director's decision on an activity waiting for it: approve (note
 * optional) or return (reason required; back one step). */
int workflow_approve(struct esis_app *app, const workflow_set *set, long long id,
                     const char *note, char *err, size_t errsz);
int workflow_return(struct esis_app *app, const workflow_set *set, long long id,
                    const char *reason, char *err, size_t errsz);
/* The awaited role acknowledges a step that waits for it (waiting_ack):
 * the activity moves on, or ends at the last step. */
int workflow_acknowledge(struct esis_app *app, const workflow_set *set, long long id,
                         const char *note, char *err, size_t errsz);

/* The director delegates their decisions to a deputy (to_login, an
 * enabled user whose role is deputy) from `from` to `until` (dates as
 * DD/MM/YYYY BE or ISO; from NULL: today).  Only a director.  0 or -1. */
int workflow_delegate(struct esis_app *app, const char *to_login, const char *from, const char *until,
                      const char *note, char *err, size_t errsz);

/* Read one activity; 0, or -1 with err when there is none. */
int workflow_get(struct esis_app *app, long long id, workflow_activity *out,
                 char *err, size_t errsz);

/* Call fn for each activity not done (pending_only: those waiting for a
 * decision), oldest first.  A non-zero return stops and is returned. */
typedef int (*workflow_activity_fn)(void *ctx, const workflow_activity *a);
int workflow_list(struct esis_app *app, bool pending_only, workflow_activity_fn fn, void *ctx,
                  char *err, size_t errsz);

/* One row of an activity's history. */
typedef struct workflow_history {
    int  step;
    char action[16];          /* start, done, approve, return, acknowledge */
    char by[65];
    char at[32];
    const char *note;         /* borrowed for the call */
} workflow_history;
typedef int (*workflow_history_fn)(void *ctx, const workflow_history *h);
int workflow_history_each(struct esis_app *app, long long id, workflow_history_fn fn, void *ctx,
                          char *err, size_t errsz);

#endif

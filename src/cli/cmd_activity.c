/*
 * cmd_activity: `esis activity`, the unit's processes without a screen.
 *
 *   esis activity list                      running activities, their step and holder
 *   esis activity pending                   what waits for the director's decision
 *   esis activity start WORKFLOW --title T [--round R] [--year Y]
 *   esis activity done ID [--note T]        the current step is finished
 *   esis activity approve ID [--note T]     the awaited role approves (group head, then director)
 *   esis activity return ID --reason T      the awaited role sends it back one step
 *   esis activity acknowledge ID [--note T] the director has seen the step that reports to them
 *   esis activity delegate LOGIN --until D [--from D] [--note T]
 *                                           the director's decisions to a deputy for a period
 *   esis activity show ID                   the activity and its history
 *
 * The workflows are read and checked from conf/workflows/ on every run (a
 * broken file stops with its file, section and key: exit 2).  Who may do
 * what is decided by the engine (src/unit/workflow.c) from the session.
 */
#include "esis/cli.h"
#include "esis/text.h"
#include "esis/workflow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct activity_ctx {
    esis_app           *app;
    const workflow_set *set;
} activity_ctx;

static const char *lang_of(const esis_app *app)
{
    return app->lang ? app->lang : "th";
}

/* "2024-06-01T09:30:00" -> "01/06/2567 09:30". */
static void when_be(const char *iso, char *out, size_t outsz)
{
    text_date d;
    char day[11];
    snprintf(day, sizeof day, "%.10s", iso);
    if (strlen(iso) >= 10 && text_date_parse(day, &d)) {
        char be[11];
        text_date_be(d, be);
        snprintf(out, outsz, "%s%s%.5s", be, strlen(iso) >= 16 ? " " : "", strlen(iso) >= 16 ? iso + 11 : "");
    } else {
        snprintf(out, outsz, "%s", iso);
    }
}

/* One line of cells fitted to their widths by display columns, without
 * trailing spaces. */
static void print_cells(const char *const *cells, const int *widths, int n)
{
    char line[4096], buf[1024];
    size_t o = 0;
    for (int i = 0; i < n && o + 1 < sizeof line; i++) {
        if (i) line[o++] = ' ';
        text_fit(buf, sizeof buf, cells[i], widths[i], 'l', true);
        o += (size_t)snprintf(line + o, sizeof line - o, "%s", buf);
        if (o >= sizeof line) o = sizeof line - 1;
    }
    while (o && line[o - 1] == ' ') o--;
    line[o] = '\0';
    puts(line);
}

static const int LIST_W[] = { 5, 10, 26, 6, 30, 16, 12, 16 };

static int print_row(void *ctx, const workflow_activity *a)
{
    activity_ctx *c = ctx;
    const char *lang = lang_of(c->app);
    const workflow *wf = workflow_find(c->set, a->workflow);
    char id[24], step[24], since[40], state_key[64];
    snprintf(id, sizeof id, "%lld", a->id);
    snprintf(step, sizeof step, "%d/%d", a->step, wf ? wf->nsteps : 0);
    when_be(a->since, since, sizeof since);
    snprintf(state_key, sizeof state_key, "activity.state_%s", a->state);
    const char *cells[] = { id, a->workflow, a->title, step, wf ? workflow_step_title(wf, a->step, lang) : "",
                            app_msg(c->app, state_key), a->holder, since };
    print_cells(cells, LIST_W, 8);
    return 0;
}

static int cmd_list(esis_app *app, const workflow_set *set, bool pending)
{
    const char *heads[] = { app_msg(app, "activity.h_id"), app_msg(app, "activity.h_workflow"),
                            app_msg(app, "activity.h_title"), app_msg(app, "activity.h_step"),
                            app_msg(app, "activity.h_step_title"), app_msg(app, "activity.h_state"),
                            app_msg(app, "activity.h_holder"), app_msg(app, "activity.h_since") };
    print_cells(heads, LIST_W, 8);
    activity_ctx c = { app, set };
    char err[1024] = "";
    if (workflow_list(app, pending, print_row, &c, err, sizeof err)) return cli_fail(1, "activity: %s", err);
    return 0;
}

static int print_history(void *ctx, const workflow_history *h)
{
    activity_ctx *c = ctx;
    static const int widths[] = { 1, 16, 10, 20, 12, 60 };
    char at[40], key[64], step[64];
    when_be(h->at, at, sizeof at);
    snprintf(key, sizeof key, "activity.action_%s", h->action);
    snprintf(step, sizeof step, "%s %d", app_msg(c->app, "activity.h_step"), h->step);
    const char *cells[] = { "", at, step, app_msg(c->app, key), h->by, h->note ? h->note : "" };
    print_cells(cells, widths, 6);
    return 0;
}

static int cmd_show(esis_app *app, const workflow_set *set, long long id)
{
    workflow_activity a;
    char err[1024] = "";
    if (workflow_get(app, id, &a, err, sizeof err)) return cli_fail(1, "activity: %s", err);
    const workflow *wf = workflow_find(set, a.workflow);
    const char *lang = lang_of(app);
    char since[40], key[64];
    when_be(a.since, since, sizeof since);
    snprintf(key, sizeof key, "activity.state_%s", a.state);
    printf("%s %lld: %s\n", app_msg(app, "activity.h_id"), a.id, a.title);
    printf("%s: %s\n", app_msg(app, "activity.h_workflow"), wf ? workflow_title(wf, lang) : a.workflow);
    if (*a.round_code) printf("%s: %s\n", app_msg(app, "activity.h_round"), a.round_code);
    if (a.academic_year) printf("%s: %d\n", app_msg(app, "activity.h_year"), a.academic_year);
    printf("%s: %s (%s %s, %s)\n", app_msg(app, "activity.h_state"), app_msg(app, key),
           app_msg(app, "activity.h_holder"), a.holder, since);
    if (*a.awaiting) printf("%s: %s\n", app_msg(app, "activity.h_awaiting"), a.awaiting);
    for (int k = 1; wf && k <= wf->nsteps; k++) {
        const workflow_step *s = &wf->steps[k - 1];
        printf(" %s %d. %s%s\n", k == a.step ? (strcmp(a.state, "done") ? "▶" : "✓") : k < a.step ? "✓" : " ",
               k, workflow_step_title(wf, k, lang), s->decision ? app_msg(app, "activity.decision_mark") : "");
    }
    printf("%s:\n", app_msg(app, "activity.history"));
    activity_ctx c = { app, set };
    if (workflow_history_each(app, id, print_history, &c, err, sizeof err)) return cli_fail(1, "activity: %s", err);
    return 0;
}

static int run(esis_app *app, int argc, char **argv)
{
    if (argc < 2) return cli_fail(2, "%s", app_msg(app, "activity.usage"));
    const char *sub = argv[1], *title = NULL, *round = NULL, *year = NULL, *note = NULL, *reason = NULL,
               *arg = NULL, *from = NULL, *until = NULL;
    for (int i = 2; i < argc; i++) {
        const char *v;
        if ((v = cli_opt_value(argc, argv, &i, "--title"))) title = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--round"))) round = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--year"))) year = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--note"))) note = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--reason"))) reason = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--from"))) from = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--until"))) until = v;
        else if (argv[i][0] != '-' && !arg) arg = argv[i];
        else return cli_fail(2, "activity: %s?\n%s", argv[i], app_msg(app, "activity.usage"));
    }
    char dir[4200], err[1024] = "";
    snprintf(dir, sizeof dir, "%s/conf/workflows", app->home);
    workflow_set *set = NULL;
    if (workflow_load_dir(dir, app->schema, &set, err, sizeof err)) return cli_fail(2, "%s", err);
    int rc = 0;
    long long id = 0;
    bool needs_id = !strcmp(sub, "done") || !strcmp(sub, "approve") || !strcmp(sub, "return") ||
                    !strcmp(sub, "acknowledge") || !strcmp(sub, "show");
    if (needs_id && !cli_parse_id(arg, &id)) {
        rc = cli_fail(2, "%s\n%s", app_msg(app, "unit.bad_id"), app_msg(app, "activity.usage"));
    } else if (!strcmp(sub, "list") || !strcmp(sub, "pending")) {
        rc = cmd_list(app, set, !strcmp(sub, "pending"));
    } else if (!strcmp(sub, "show")) {
        rc = cmd_show(app, set, id);
    } else if (!strcmp(sub, "start")) {
        const workflow *wf = workflow_find(set, arg);
        char yb[32];
        int y = year ? atoi(cli_norm(NORM_INT, year, yb, sizeof yb)) : 0;
        if (!wf) rc = cli_fail(2, "%s: %s", app_msg(app, "activity.no_workflow"), arg ? arg : "");
        else if (year && y <= 0) rc = cli_fail(2, "%s: %s", app_msg(app, "activity.bad_year"), year);
        else if (workflow_start(app, wf, title, round, y, &id, err, sizeof err)) rc = cli_fail(1, "activity: %s", err);
        else printf("%s %lld: %s\n", app_msg(app, "activity.started"), id,
                    workflow_step_title(wf, 1, lang_of(app)));
    } else if (!strcmp(sub, "delegate")) {
        if (workflow_delegate(app, arg, from, until, note, err, sizeof err)) rc = cli_fail(1, "activity: %s", err);
        else printf("%s: %s\n", arg, app_msg(app, "decide.delegated"));
    } else if (!strcmp(sub, "done") || !strcmp(sub, "approve") || !strcmp(sub, "return") ||
               !strcmp(sub, "acknowledge")) {
        int r = !strcmp(sub, "done") ? workflow_done(app, set, id, note, err, sizeof err)
              : !strcmp(sub, "approve") ? workflow_approve(app, set, id, note, err, sizeof err)
              : !strcmp(sub, "acknowledge") ? workflow_acknowledge(app, set, id, note, err, sizeof err)
              : workflow_return(app, set, id, reason, err, sizeof err);
        if (r) {
            rc = cli_fail(1, "activity: %s", err);
        } else {
            workflow_activity a;
            const workflow *wf;
            if (!workflow_get(app, id, &a, err, sizeof err) && (wf = workflow_find(set, a.workflow))) {
                char key[64];
                snprintf(key, sizeof key, "activity.state_%s", a.state);
                printf("%lld: %s %d/%d %s (%s)\n", id, app_msg(app, "activity.h_step"), a.step, wf->nsteps,
                       workflow_step_title(wf, a.step, lang_of(app)), app_msg(app, key));
            }
        }
    } else {
        rc = cli_fail(2, "%s", app_msg(app, "activity.usage"));
    }
    workflow_set_free(set);
    return rc;
}

const esis_cmd cmd_activity = {
    "activity",
    "activity list|pending|start WORKFLOW --title T [--round R] [--year Y]|done ID [--note T]|approve ID [--note T]|return ID --reason T|acknowledge ID [--note T]|delegate LOGIN --until D [--from D]|show ID",
    "cmd.activity",
    APP_LOGIN,
    run,
};

/* test_workflow: the unit's processes as data (every shipped workflow loads;
 * bad files are refused with file, section and key) and activities: steps,
 * the director's approval, returns (reason required, back one step), only
 * the director decides, finishing, the activity list and the decisions
 * waiting, every action logged and audited. */
#include "unit_fixture.h"
#include "esis/workflow.h"

static workflow_set *load_shipped(fixture *f)
{
    char dir[4200], err[1024] = "";
    snprintf(dir, sizeof dir, "%s/conf/workflows", f->app.home);
    workflow_set *set = NULL;
    if (workflow_load_dir(dir, f->app.schema, &set, err, sizeof err)) fail_msg("%s", err);
    return set;
}

static void test_shipped(void **state)
{
    fixture *f = *state;
    workflow_set *set = load_shipped(f);
    assert_int_equal(set->n, 6);
    const workflow *net = workflow_find(set, "network");
    assert_non_null(net);
    assert_int_equal(net->nsteps, 6);
    assert_true(net->steps[2].decision);
    assert_string_equal(workflow_step_title(net, 3, "th"), "เสนอแผนงาน ผอ.สพป.");
    assert_string_equal(workflow_step_title(net, 1, "th"), "แต่งตั้งคณะทำงาน");
    const workflow *me = workflow_find(set, "monitoring");
    assert_int_equal(me->nsteps, 5);
    assert_true(me->steps[2].decision);
    assert_int_equal(workflow_find(set, "research")->nsteps, 6);
    for (int i = 0; i < 3; i++) {
        const workflow *c = workflow_find(set, (const char *[]){ "dmc", "bobec", "emis" }[i]);
        assert_non_null(c);
        assert_int_equal(c->kind, WORKFLOW_COLLECTION);
        assert_int_equal(c->nsteps, 7);
    }
    assert_string_equal(workflow_step_title(workflow_find(set, "dmc"), 4, "th"),
                        "ดำเนินการตรวจสอบความถูกต้องของข้อมูลนักเรียนรายบุคคล (DMC)");
    assert_string_equal(workflow_step_title(net, 9, "th"), "");
    workflow_set_free(set);
}

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static void expect_bad(fixture *f, const char *text, const char *want)
{
    char dir[200], path[260], err[1024] = "";
    snprintf(dir, sizeof dir, "%s/wf", f->dir);
    mkdir(dir, 0700);
    snprintf(path, sizeof path, "%s/bad.ini", dir);
    write_file(path, text);
    workflow_set *set = NULL;
    assert_int_equal(workflow_load_dir(dir, f->app.schema, &set, err, sizeof err), -1);
    assert_null(set);
    if (!strstr(err, want)) fail_msg("wanted '%s' in '%s'", want, err);
}

static void test_bad_files(void **state)
{
    fixture *f = *state;
    const char *head = "[workflow]\ntitle_th = ก\ntitle_en = A\nkind = process\n";
    char buf[1024];
    expect_bad(f, "[workflow]\ntitle_th = ก\ntitle_en = A\nkind = loop\n[step.1]\ntitle_th = ก\ntitle_en = a\n",
               "conf/workflows/bad.ini [workflow] kind: 'loop'");
    snprintf(buf, sizeof buf, "%s[step.1]\ntitle_th = ก\ntitle_en = a\n[step.3]\ntitle_th = ข\ntitle_en = b\n", head);
    expect_bad(f, buf, "[step.2]: missing");
    snprintf(buf, sizeof buf, "%s[step.1]\ntitle_th = ก\ntitle_en = a\ndecision = boss\n", head);
    expect_bad(f, buf, "[step.1] decision: 'boss'");
    snprintf(buf, sizeof buf, "%s[step.1]\ntitle_th = ก\ntitle_en = a\nforms = cooperation\n", head);
    expect_bad(f, buf, "[step.1] forms: 'cooperation' is not a table");
    snprintf(buf, sizeof buf, "%s[step.1]\ntitle_th = ก\ntitle_en = a\nfroms = info_reports\n", head);
    expect_bad(f, buf, "[step.1] froms: unknown key");
    snprintf(buf, sizeof buf, "%s[step.1]\ntitle_th = ก\n", head);
    expect_bad(f, buf, "[step.1] title_en: missing");
    expect_bad(f, head, "a workflow needs at least one step");
    snprintf(buf, sizeof buf, "%s[step.1]\ntitle_th = ก\ntitle_en = a\n[steps.2]\ntitle_th = x\n", head);
    expect_bad(f, buf, "[steps.2]: unknown section");
}

static const char *state_of(fixture *f, long long id, int *step)
{
    static char buf[32];
    workflow_activity a;
    char err[512];
    assert_int_equal(workflow_get(&f->app, id, &a, err, sizeof err), 0);
    *step = a.step;
    snprintf(buf, sizeof buf, "%s", a.state);
    return buf;
}

static void test_steps_decisions(void **state)
{
    fixture *f = *state;
    esis_app *app = &f->app;
    workflow_set *set = load_shipped(f);
    const workflow *net = workflow_find(set, "network");
    char err[1024] = "";
    long long id = 0;
    int step;

    /* Viewers and school officers do not run the office's processes. */
    db_session_set(app->db, &fx_viewer);
    assert_int_equal(workflow_start(app, net, "เครือข่าย 2567", NULL, 2567, &id, err, sizeof err), -1);
    db_session_set(app->db, &fx_staff);
    assert_int_equal(workflow_start(app, net, "", NULL, 2567, &id, err, sizeof err), -1);
    assert_int_equal(workflow_start(app, net, "เครือข่าย 2567", "2567-9", 0, &id, err, sizeof err), -1);
    assert_int_equal(workflow_start(app, net, "เครือข่าย 2567", NULL, 2567, &id, err, sizeof err), 0);
    assert_string_equal(state_of(f, id, &step), "running");
    assert_int_equal(step, 1);
    assert_int_equal(workflow_done(app, set, id, "คำสั่งที่ 12/2567", err, sizeof err), 0);
    assert_int_equal(workflow_done(app, set, id, NULL, err, sizeof err), 0);
    assert_string_equal(state_of(f, id, &step), "running");
    assert_int_equal(step, 3);
    /* Done at the decision step: the director's turn. */
    assert_int_equal(workflow_done(app, set, id, "เสนอแผน", err, sizeof err), 0);
    assert_string_equal(state_of(f, id, &step), "waiting_decision");
    assert_int_equal(step, 3);
    assert_int_equal(fx_count(app->db, "SELECT count(*) FROM decisions_pending"), 1);
    /* Nobody moves it on but the director. */
    assert_int_equal(workflow_done(app, set, id, NULL, err, sizeof err), -1);
    assert_int_equal(workflow_approve(app, set, id, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "director"));
    /* A return needs a reason and goes back one step. */
    db_session_set(app->db, &fx_director);
    assert_int_equal(workflow_return(app, set, id, "  ", err, sizeof err), -1);
    assert_non_null(strstr(err, "reason"));
    assert_int_equal(workflow_return(app, set, id, "งบประมาณไม่ชัดเจน", err, sizeof err), 0);
    assert_string_equal(state_of(f, id, &step), "running");
    assert_int_equal(step, 2);
    assert_int_equal(fx_count(app->db, "SELECT count(*) FROM decisions_pending"), 0);
    assert_int_equal(workflow_approve(app, set, id, NULL, err, sizeof err), -1); /* not waiting */
    db_session_set(app->db, &fx_staff);
    assert_int_equal(workflow_done(app, set, id, "แก้แผนแล้ว", err, sizeof err), 0);
    assert_int_equal(workflow_done(app, set, id, NULL, err, sizeof err), 0);
    db_session_set(app->db, &fx_director);
    assert_int_equal(workflow_approve(app, set, id, "เห็นชอบ", err, sizeof err), 0);
    assert_string_equal(state_of(f, id, &step), "running");
    assert_int_equal(step, 4);
    db_session_set(app->db, &fx_staff);
    for (int i = 4; i <= 6; i++) assert_int_equal(workflow_done(app, set, id, NULL, err, sizeof err), 0);
    assert_string_equal(state_of(f, id, &step), "done");
    assert_int_equal(step, 6);
    assert_int_equal(workflow_done(app, set, id, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "finished"));

    /* The log: start, done x2, done (proposal), return, done x2, approve, done x3. */
    assert_int_equal(fx_count(app->db, "SELECT count(*) FROM activity_steps"), 11);
    assert_int_equal(fx_count(app->db, "SELECT count(*) FROM activity_steps WHERE action = 'return'"
                                       " AND step = 3 AND by_login = 'director1' AND note = 'งบประมาณไม่ชัดเจน'"), 1);
    assert_int_equal(fx_count(app->db, "SELECT count(*) FROM activity_steps WHERE action = 'approve'"
                                       " AND by_login = 'director1' AND note = 'เห็นชอบ'"), 1);
    /* ...and the audit trail has every change of the activity, with who. */
    assert_int_equal(fx_count(app->db, "SELECT count(*) FROM audit WHERE table_name = 'activities'"), 11);
    assert_int_equal(fx_count(app->db, "SELECT count(*) FROM audit WHERE table_name = 'activities'"
                                       " AND actor = 'director1'"), 2);
    assert_int_equal(workflow_get(app, 999, &(workflow_activity){0}, err, sizeof err), -1);
    workflow_set_free(set);
}

typedef struct listed { int n; char titles[4][600]; } listed;

static int collect(void *ctx, const workflow_activity *a)
{
    listed *l = ctx;
    if (l->n < 4) snprintf(l->titles[l->n], sizeof l->titles[0], "%s", a->title);
    l->n++;
    return 0;
}

static void test_list(void **state)
{
    fixture *f = *state;
    esis_app *app = &f->app;
    workflow_set *set = load_shipped(f);
    char err[1024] = "";
    long long a, b, c;
    assert_int_equal(workflow_start(app, workflow_find(set, "dmc"), "DMC รอบ 1", "2567-1", 0, &a, err, sizeof err), 0);
    assert_int_equal(workflow_start(app, workflow_find(set, "monitoring"), "ประเมิน 2567", NULL, 2567, &b, err, sizeof err), 0);
    assert_int_equal(workflow_start(app, workflow_find(set, "research"), "วิจัย", NULL, 0, &c, err, sizeof err), 0);
    assert_int_equal(fx_count(app->db, "SELECT academic_year FROM activities WHERE round_code = '2567-1'"), 2567);
    for (int i = 0; i < 3; i++) assert_int_equal(workflow_done(app, set, b, NULL, err, sizeof err), 0);
    listed all = { 0 }, pending = { 0 };
    assert_int_equal(workflow_list(app, false, collect, &all, err, sizeof err), 0);
    assert_int_equal(workflow_list(app, true, collect, &pending, err, sizeof err), 0);
    assert_int_equal(all.n, 3);
    assert_int_equal(pending.n, 1);
    assert_string_equal(pending.titles[0], "ประเมิน 2567");
    /* The views the TUI shows. */
    assert_int_equal(fx_count(app->db, "SELECT step FROM activity_list WHERE title = 'ประเมิน 2567'"), 3);
    assert_int_equal(fx_count(app->db, "SELECT count(*) FROM activity_list WHERE holder = 'staff1'"
                                       " AND step_title IS NOT NULL AND since IS NOT NULL"), 3);
    assert_int_equal(fx_count(app->db, "SELECT count(*) FROM decisions_pending WHERE step_title = 'เสนอผู้บริหารเพื่อให้เห็นชอบ'"), 1);
    workflow_set_free(set);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_shipped, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_bad_files, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_steps_decisions, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_list, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

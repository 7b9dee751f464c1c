/* test_workflow: the unit's processes as data (every shipped workflow loads;
 * bad files are refused with file, section and key) and activities: steps,
 * the approval chain (group head, then director), returns (reason
 * required, back one step), the director's acknowledgement of the last
 * step, delegation to a deputy, the administrator never deciding (every
 * role against every decision command), confirming with open errors only
 * with an override, the activity list and the decisions waiting, every
 * action logged and audited. */
#include "unit_fixture.h"
#include "esis/access.h"
#include "esis/rounds.h"
#include "esis/service.h"
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
    fx_accounts(app->db);

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
    /* Done at the decision step: the chain starts with the group head. */
    assert_int_equal(workflow_done(app, set, id, "เสนอแผน", err, sizeof err), 0);
    assert_string_equal(state_of(f, id, &step), "waiting_decision");
    assert_int_equal(step, 3);
    assert_int_equal(fx_count(app->db, "SELECT count(*) FROM decisions_pending WHERE awaiting = 'group_head'"), 1);
    /* Nobody moves it on but the group head: not staff, not the
     * administrator, not even the director before the group head. */
    assert_int_equal(workflow_done(app, set, id, NULL, err, sizeof err), -1);
    assert_int_equal(workflow_approve(app, set, id, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "group head"));
    db_session_set(app->db, &fx_admin);
    assert_int_equal(workflow_approve(app, set, id, NULL, err, sizeof err), -1);
    db_session_set(app->db, &fx_director);
    assert_int_equal(workflow_approve(app, set, id, NULL, err, sizeof err), -1);
    /* A return needs a reason and goes back one step. */
    db_session_set(app->db, &fx_group_head);
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
    /* The group head approves: now the director's turn, same step. */
    db_session_set(app->db, &fx_group_head);
    assert_int_equal(workflow_approve(app, set, id, "เห็นควรเสนอ", err, sizeof err), 0);
    assert_string_equal(state_of(f, id, &step), "waiting_decision");
    assert_int_equal(step, 3);
    assert_int_equal(fx_count(app->db, "SELECT count(*) FROM decisions_pending WHERE awaiting = 'director'"), 1);
    assert_int_equal(workflow_approve(app, set, id, NULL, err, sizeof err), -1);   /* not twice */
    db_session_set(app->db, &fx_admin);
    assert_int_equal(workflow_approve(app, set, id, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "director"));
    db_session_set(app->db, &fx_director);
    assert_int_equal(workflow_approve(app, set, id, "เห็นชอบ", err, sizeof err), 0);
    assert_string_equal(state_of(f, id, &step), "running");
    assert_int_equal(step, 4);
    db_session_set(app->db, &fx_staff);
    for (int i = 4; i <= 6; i++) assert_int_equal(workflow_done(app, set, id, NULL, err, sizeof err), 0);
    /* "Propose to the director" is not finished by staff: it waits for the
     * director's acknowledgement. */
    assert_string_equal(state_of(f, id, &step), "waiting_ack");
    assert_int_equal(step, 6);
    assert_int_equal(fx_count(app->db, "SELECT count(*) FROM decisions_pending WHERE awaiting = 'director'"
                                       " AND state = 'waiting_ack'"), 1);
    assert_int_equal(workflow_done(app, set, id, NULL, err, sizeof err), -1);
    assert_int_equal(workflow_acknowledge(app, set, id, NULL, err, sizeof err), -1);
    db_session_set(app->db, &fx_admin);
    assert_int_equal(workflow_acknowledge(app, set, id, NULL, err, sizeof err), -1);
    db_session_set(app->db, &fx_director);
    assert_int_equal(workflow_approve(app, set, id, NULL, err, sizeof err), -1);    /* acknowledge, not approve */
    assert_int_equal(workflow_acknowledge(app, set, id, "รับทราบ", err, sizeof err), 0);
    assert_string_equal(state_of(f, id, &step), "done");
    assert_int_equal(step, 6);
    db_session_set(app->db, &fx_staff);
    assert_int_equal(workflow_done(app, set, id, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "finished"));

    /* The log: start, done x2, done (proposal), return, done x2, approve x2,
     * done x3, acknowledge. */
    assert_int_equal(fx_count(app->db, "SELECT count(*) FROM activity_steps"), 13);
    assert_int_equal(fx_count(app->db, "SELECT count(*) FROM activity_steps WHERE action = 'return'"
                                       " AND step = 3 AND by_login = 'head1' AND note = 'งบประมาณไม่ชัดเจน'"), 1);
    assert_int_equal(fx_count(app->db, "SELECT count(*) FROM activity_steps WHERE action = 'approve'"
                                       " AND by_login = 'director1' AND note = 'เห็นชอบ'"), 1);
    assert_int_equal(fx_count(app->db, "SELECT count(*) FROM activity_steps WHERE action = 'acknowledge'"
                                       " AND step = 6 AND by_login = 'director1'"), 1);
    /* ...and the audit trail has every change of the activity, with who. */
    assert_int_equal(fx_count(app->db, "SELECT count(*) FROM audit WHERE table_name = 'activities'"), 13);
    assert_int_equal(fx_count(app->db, "SELECT count(*) FROM audit WHERE table_name = 'activities'"
                                       " AND actor = 'director1'"), 2);
    assert_int_equal(fx_count(app->db, "SELECT count(*) FROM audit WHERE table_name = 'activities'"
                                       " AND actor = 'admin1'"), 0);
    assert_int_equal(workflow_get(app, 999, &(workflow_activity){0}, err, sizeof err), -1);
    workflow_set_free(set);
}

/* A deputy decides for the director only while a delegation lasts, and only
 * the director delegates. */
static void test_delegation(void **state)
{
    fixture *f = *state;
    esis_app *app = &f->app;
    workflow_set *set = load_shipped(f);
    char err[1024] = "";
    long long id;
    int step;
    fx_accounts(app->db);
    exec_ok(app->db, "DELETE FROM delegations");
    const workflow *net = workflow_find(set, "network");
    db_session_set(app->db, &fx_staff);
    assert_int_equal(workflow_start(app, net, "มอบอำนาจ", NULL, 2567, &id, err, sizeof err), 0);
    db_session_set(app->db, NULL);
    exec_ok(app->db, "UPDATE activities SET step = 3, state = 'waiting_decision', awaiting = 'director'");
    db_session_set(app->db, &fx_deputy);
    assert_int_equal(workflow_approve(app, set, id, NULL, err, sizeof err), -1);
    /* Staff, the administrator and the deputy cannot delegate; the director can. */
    assert_int_equal(workflow_delegate(app, "deputy1", NULL, "31/12/2599", NULL, err, sizeof err), -1);
    db_session_set(app->db, &fx_admin);
    assert_int_equal(workflow_delegate(app, "deputy1", NULL, "31/12/2599", NULL, err, sizeof err), -1);
    db_session_set(app->db, &fx_director);
    assert_int_equal(workflow_delegate(app, "staff1", NULL, "31/12/2599", NULL, err, sizeof err), -1);
    assert_int_equal(workflow_delegate(app, "deputy1", "10/01/2600", "01/01/2600", NULL, err, sizeof err), -1);
    /* A delegation that has not started yet gives nothing. */
    assert_int_equal(workflow_delegate(app, "deputy1", "01/01/2599", "31/12/2599", NULL, err, sizeof err), 0);
    db_session_set(app->db, &fx_deputy);
    assert_int_equal(workflow_approve(app, set, id, NULL, err, sizeof err), -1);
    db_session_set(app->db, &fx_director);
    assert_int_equal(workflow_delegate(app, "deputy1", NULL, "31/12/2599", "ไปราชการ", err, sizeof err), 0);
    db_session_set(app->db, &fx_deputy2);
    assert_int_equal(workflow_approve(app, set, id, NULL, err, sizeof err), -1);
    db_session_set(app->db, &fx_deputy);
    assert_int_equal(workflow_approve(app, set, id, "แทน ผอ.", err, sizeof err), 0);
    assert_string_equal(state_of(f, id, &step), "running");
    assert_int_equal(step, 4);
    assert_int_equal(fx_count(app->db, "SELECT count(*) FROM audit WHERE table_name = 'delegations'"
                                       " AND actor = 'director1'"), 2);
    /* The delegation ends: the deputy no longer decides. */
    db_session_set(app->db, NULL);
    exec_ok(app->db, "UPDATE delegations SET ends = date('now','localtime','-1 day')");
    exec_ok(app->db, "UPDATE activities SET step = 3, state = 'waiting_decision', awaiting = 'director'");
    db_session_set(app->db, &fx_deputy);
    assert_int_equal(workflow_approve(app, set, id, NULL, err, sizeof err), -1);
    workflow_set_free(set);
}

/* ---- every role against every decision command ------------------------- */

typedef struct matrix_cmd {
    const char *name;
    long long (*setup)(fixture *f, workflow_set *set);   /* run with no session */
    int (*run)(fixture *f, workflow_set *set, long long id, char *err, size_t errsz);
    const char *holders;                                  /* roles that succeed, space-separated */
} matrix_cmd;

static long long activity_at(fixture *f, workflow_set *set, int step, const char *state, const char *awaiting)
{
    esis_app *app = &f->app;
    char err[512], sql[300];
    long long id;
    assert_int_equal(workflow_start(app, workflow_find(set, "network"), "matrix", NULL, 2567, &id, err, sizeof err), 0);
    snprintf(sql, sizeof sql, "UPDATE activities SET step = %d, state = '%s', awaiting = '%s' WHERE id = %lld",
             step, state, awaiting, id);
    exec_ok(app->db, sql);
    return id;
}
static long long at_group_head(fixture *f, workflow_set *set) { return activity_at(f, set, 3, "waiting_decision", "group_head"); }
static long long at_director(fixture *f, workflow_set *set) { return activity_at(f, set, 3, "waiting_decision", "director"); }
static long long at_ack(fixture *f, workflow_set *set) { return activity_at(f, set, 6, "waiting_ack", "director"); }

static long long access_request(fixture *f, workflow_set *set)
{
    (void)set;
    exec_ok(f->app.db, "INSERT INTO access_requests(requested_on, requester, login, role, data_wanted, purpose)"
                       " VALUES ('2026-01-06', 'นายขอ', 'someone', 'viewer', 'สถิติ', 'วางแผน')");
    return sqlite3_last_insert_rowid(f->app.db);
}

static long long service_request(fixture *f, workflow_set *set)
{
    (void)set;
    exec_ok(f->app.db, "INSERT INTO service_requests(asked_on, requester, data_wanted, purpose, legal_basis, round_code)"
                       " VALUES ('2026-01-06', 'นายวิจัย', 'นักเรียน', 'วิจัย', 'PDPA ม.24(4)', '2567-1')");
    return sqlite3_last_insert_rowid(f->app.db);
}

static long long submitted(fixture *f, workflow_set *set)
{
    (void)set;
    exec_ok(f->app.db, "DELETE FROM submissions");
    exec_ok(f->app.db, "INSERT INTO submissions(round_code, school_code, state) VALUES ('2567-1', '1074000001', 'submitted')");
    return 1;
}

static int run_approve(fixture *f, workflow_set *set, long long id, char *err, size_t n) { return workflow_approve(&f->app, set, id, NULL, err, n); }
static int run_return(fixture *f, workflow_set *set, long long id, char *err, size_t n) { return workflow_return(&f->app, set, id, "ไม่ครบ", err, n); }
static int run_ack(fixture *f, workflow_set *set, long long id, char *err, size_t n) { return workflow_acknowledge(&f->app, set, id, NULL, err, n); }
static int run_access_approve(fixture *f, workflow_set *set, long long id, char *err, size_t n) { (void)set; return access_approve(&f->app, id, NULL, NULL, false, err, n); }
static int run_access_refuse(fixture *f, workflow_set *set, long long id, char *err, size_t n) { (void)set; return access_refuse(&f->app, id, "ไม่จำเป็น", err, n); }
static int run_service_approve(fixture *f, workflow_set *set, long long id, char *err, size_t n)
{
    (void)set;
    service_approval ap = { true, "dmc", "first_name grade", "31/12/2599", NULL, NULL, NULL };
    return service_approve(&f->app, id, &ap, err, n);
}
static int run_service_refuse(fixture *f, workflow_set *set, long long id, char *err, size_t n) { (void)set; return service_refuse(&f->app, id, "ไม่มีฐาน", err, n); }
static int run_serve(fixture *f, workflow_set *set, long long id, char *err, size_t n)
{
    (void)set;
    char out[200];
    service_result res;
    snprintf(out, sizeof out, "%s/matrix-%lld.csv", f->dir, id);
    return service_serve(&f->app, id, "dmc", NULL, out, &res, err, n);
}
static int run_confirm(fixture *f, workflow_set *set, long long id, char *err, size_t n)
{
    (void)set; (void)id;
    return rounds_submission_act(f->app.db, "2567-1", "1074000001", ROUNDS_CONFIRM, 0, NULL, NULL, err, n);
}

static bool holds(const char *holders, const char *role)
{
    size_t n = strlen(role);
    for (const char *p = holders; (p = strstr(p, role)) != NULL; p += n)
        if ((p == holders || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0')) return true;
    return false;
}

static void test_role_matrix(void **state)
{
    fixture *f = *state;
    esis_app *app = &f->app;
    workflow_set *set = load_shipped(f);
    char err[1024] = "";
    fx_accounts(app->db);
    assert_int_equal(rounds_ensure(app->db, app->conf, "2567-1", err, sizeof err), 0);
    static const char *const OFFICE = "admin staff group_head deputy deputy_delegated director";
    const matrix_cmd cmds[] = {
        { "activity approve (group head's step)", at_group_head, run_approve, "group_head" },
        { "activity return (group head's step)", at_group_head, run_return, "group_head" },
        { "activity approve (director's step)", at_director, run_approve, "director deputy_delegated" },
        { "activity return (director's step)", at_director, run_return, "director deputy_delegated" },
        { "activity acknowledge", at_ack, run_ack, "director deputy_delegated" },
        { "access approve", access_request, run_access_approve, "director deputy_delegated" },
        { "access refuse", access_request, run_access_refuse, "director deputy_delegated" },
        { "serve approve", service_request, run_service_approve, "director deputy_delegated" },
        { "serve refuse", service_request, run_service_refuse, "director deputy_delegated" },
        { "serve", service_request, run_serve, OFFICE },
        { "submission confirm", submitted, run_confirm, OFFICE },
    };
    /* deputy_delegated is deputy1 (fx_accounts' delegation), "deputy" is
     * deputy2, who holds none. */
    const struct { const char *role; const db_session *s; } roles[] = {
        { "admin", &fx_admin }, { "staff", &fx_staff }, { "group_head", &fx_group_head },
        { "deputy", &fx_deputy2 }, { "deputy_delegated", &fx_deputy }, { "director", &fx_director },
        { "school", &fx_school }, { "viewer", &fx_viewer },
    };
    int checked = 0;
    for (size_t c = 0; c < sizeof cmds / sizeof *cmds; c++) {
        for (size_t r = 0; r < sizeof roles / sizeof *roles; r++) {
            db_session_set(app->db, NULL);
            long long id = cmds[c].setup(f, set);
            db_session_set(app->db, roles[r].s);
            err[0] = '\0';
            int rc = cmds[c].run(f, set, id, err, sizeof err);
            bool want = holds(cmds[c].holders, roles[r].role);
            if ((rc == 0) != want)
                fail_msg("%s as %s: %s (%s)", cmds[c].name, roles[r].role, rc == 0 ? "succeeded" : "refused", err);
            checked++;
        }
    }
    assert_int_equal(checked, 11 * 8);
    db_session_set(app->db, NULL);
    /* Nothing the administrator did is a decision in the trail. */
    assert_int_equal(fx_count(app->db, "SELECT count(*) FROM activity_steps WHERE by_login = 'admin1'"
                                       " AND action IN ('approve', 'return', 'acknowledge')"), 0);
    assert_int_equal(fx_count(app->db, "SELECT count(*) FROM access_requests WHERE decided_by = 'admin1'"), 0);
    assert_int_equal(fx_count(app->db, "SELECT count(*) FROM service_requests WHERE approved_by = 'admin1'"), 0);
    workflow_set_free(set);
}

/* Confirming a school's data with open errors needs a written override,
 * kept with the confirmation. */
static void test_confirm_override(void **state)
{
    fixture *f = *state;
    esis_app *app = &f->app;
    char err[1024] = "";
    assert_int_equal(rounds_ensure(app->db, app->conf, "2567-1", err, sizeof err), 0);
    exec_ok(app->db, "INSERT INTO submissions(round_code, school_code, state) VALUES ('2567-1', '1074000001', 'submitted'),"
                     " ('2567-1', '1074000002', 'submitted')");
    exec_ok(app->db, "INSERT INTO flags(round_code, table_name, row_id, school_code, rule_id, severity) VALUES"
                     " ('2567-1', 'students', 1, '1074000001', 'r1', 'error'), ('2567-1', 'students', 2, '1074000001', 'r2', 'error'),"
                     " ('2567-1', 'students', 3, '1074000001', 'r3', 'warning'), ('2567-1', 'students', 4, '1074000002', 'r3', 'warning')");
    db_session_set(app->db, &fx_staff);
    assert_int_equal(rounds_submission_act(app->db, "2567-1", "1074000001", ROUNDS_CONFIRM, 0, NULL, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "2 open error"));
    assert_non_null(strstr(err, "override"));
    assert_int_equal(rounds_submission_act(app->db, "2567-1", "1074000001", ROUNDS_CONFIRM, 0, "  ", NULL, err, sizeof err), -1);
    /* Errors counted now by the caller count too. */
    assert_int_equal(rounds_submission_act(app->db, "2567-1", "1074000002", ROUNDS_CONFIRM, 3, NULL, NULL, err, sizeof err), -1);
    assert_int_equal(fx_count(app->db, "SELECT count(*) FROM submissions WHERE state = 'confirmed'"), 0);
    assert_int_equal(rounds_submission_act(app->db, "2567-1", "1074000001", ROUNDS_CONFIRM, 0,
                                           "ผอ.สั่งให้รับรองก่อน ครูแก้วันที่ 20", NULL, err, sizeof err), 0);
    assert_int_equal(fx_count(app->db, "SELECT count(*) FROM submissions WHERE school_code = '1074000001'"
                                       " AND state = 'confirmed' AND override_errors = 2 AND confirmed_by = 'staff1'"
                                       " AND override_reason = 'ผอ.สั่งให้รับรองก่อน ครูแก้วันที่ 20'"), 1);
    assert_int_equal(fx_count(app->db, "SELECT count(*) FROM audit WHERE table_name = 'submissions' AND actor = 'staff1'"
                                       " AND row_key LIKE '%1074000001%' AND action = 'update'"
                                       " AND new_values LIKE '%override_reason%ผอ.สั่งให้รับรองก่อน%'"), 1);
    /* Without open errors no override is needed, and none is kept. */
    assert_int_equal(rounds_submission_act(app->db, "2567-1", "1074000002", ROUNDS_CONFIRM, 0, "ไม่ต้อง", NULL, err, sizeof err), 0);
    assert_int_equal(fx_count(app->db, "SELECT count(*) FROM submissions WHERE school_code = '1074000002'"
                                       " AND state = 'confirmed' AND override_reason IS NULL AND override_errors IS NULL"), 1);
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
        cmocka_unit_test_setup_teardown(test_delegation, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_role_matrix, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_confirm_override, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

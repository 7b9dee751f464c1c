/* test_unit_forms: each of the unit's forms printed as text and as HTML
 * (values escaped, BE dates, signature lines), layouts refused with file,
 * section and key; the access request to account path end to end (request
 * -> director approves with a new user -> that user logs in -> the date
 * passes the access's end -> refused with a clear message); serving
 * information with personal data masked unless a director approved; the
 * briefings and the schools that missed them. */
#include "unit_fixture.h"
#include "esis/access.h"
#include "esis/auth.h"
#include "esis/booklet.h"
#include "esis/briefing.h"
#include "esis/document.h"
#include "esis/report.h"
#include "esis/rounds.h"
#include "esis/service.h"

static char *print_form(fixture *f, const char *form, long long id, doc_output kind, int want_rc)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    char err[1024] = "";
    int rc = doc_print(&f->app, form, id, kind, out, err, sizeof err);
    fclose(out);
    if (rc != want_rc) fail_msg("%s %lld: rc %d: %s", form, id, rc, err);
    if (rc) { free(buf); return strdup(err); }
    return buf;
}

static void seed_forms(fixture *f)
{
    sqlite3 *db = f->app.db;
    exec_ok(db, "INSERT INTO coordination_records(recorded_on, agency, contact_person, subject, agreed, recorded_by)"
                " VALUES ('2024-06-20', 'อบต.บ้านแพ้ว', 'นายสมชาย ใจดี', 'ขอข้อมูลเด็ก <3-5 ปี> & เขตบริการ',"
                " 'ส่งข้อมูลทุกภาคเรียน', 'นางสาวสุลักขณา รักษา')");
    exec_ok(db, "INSERT INTO info_reports(reported_on, title, data_source, summary, recipients, reported_by)"
                " VALUES ('2024-07-01', 'สรุปข้อมูลนักเรียน <รอบ 1>', 'DMC', 'นักเรียน 50,000 คน', 'ผอ.สพป.', 'นางสาวสุลักขณา รักษา')");
    exec_ok(db, "INSERT INTO analysis_records(recorded_on, topic, data_used, method, findings, recommendations, analyst)"
                " VALUES ('2024-08-01', 'อัตราการออกกลางคัน <ป.6>', 'DMC 2566-2567', 'เทียบรายรอบ', 'ลดลง', 'ติดตามต่อ', 'นายวิเคราะห์ ข้อมูล')");
    exec_ok(db, "INSERT INTO analysis_reports(reported_on, title, objective, results, conclusions, proposals, reported_by)"
                " VALUES ('2024-09-01', 'รายงานผล <การวิเคราะห์>', 'ศึกษา', 'ผล', 'สรุป', 'เสนอ', 'นายวิเคราะห์ ข้อมูล')");
    exec_ok(db, "INSERT INTO access_requests(requested_on, requester, login, position, unit, role, schools,"
                " data_wanted, purpose, months) VALUES ('2024-10-01', 'นายขอ <สิทธิ์>', 'khor', 'ครู', 'โรงเรียน',"
                " 'school', '1074000001', 'ข้อมูลนักเรียน', 'ตรวจสอบข้อมูล', 12)");
    exec_ok(db, "INSERT INTO evaluations(kind, academic_year, collection, recorded_on, objective, target, result, evaluator)"
                " VALUES ('tracking', 2567, 'dmc', '2024-11-01', 'ติดตาม <DMC>', 'ครบ 100%', 'ครบ 98%', 'นางประเมิน ผล')");
    exec_ok(db, "INSERT INTO evaluations(kind, academic_year, collection, recorded_on, objective, target, result, evaluator)"
                " VALUES ('summary', 2567, 'dmc', '2025-03-20', 'สรุป <ปี>', 'พึงพอใจระดับมาก', 'มาก', 'นางประเมิน ผล')");
}

static void test_every_form(void **state)
{
    fixture *f = *state;
    seed_forms(f);
    f->app.lang = "th";
    static const struct { const char *form, *title, *date, *escaped; long long id; } forms[] = {
        { "coordination_record", "แบบบันทึกการประสานความร่วมมือ", "20/06/2567", "&lt;3-5 ปี&gt; &amp; เขตบริการ", 1 },
        { "info_report", "แบบรายงานข้อมูลสารสนเทศ", "01/07/2567", "&lt;รอบ 1&gt;", 1 },
        { "analysis_record", "แบบบันทึกการศึกษาวิเคราะห์", "01/08/2567", "&lt;ป.6&gt;", 1 },
        { "analysis_report", "แบบรายงานผลการศึกษาวิเคราะห์", "01/09/2567", "&lt;การวิเคราะห์&gt;", 1 },
        { "access_request", "แบบคำร้องขอเข้าถึงระบบข้อมูลสารสนเทศ", "01/10/2567", "นายขอ &lt;สิทธิ์&gt;", 1 },
        { "tracking", "แบบติดตาม การประเมินผลระบบข้อมูลสารสนเทศ", "01/11/2567", "ติดตาม &lt;DMC&gt;", 1 },
        { "evaluation_summary", "แบบรายงานสรุปผลการประเมิน", "20/03/2568", "สรุป &lt;ปี&gt;", 2 },
    };
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        char *t = print_form(f, forms[i].form, forms[i].id, DOC_TEXT, 0);
        if (!strstr(t, forms[i].title) || !strstr(t, forms[i].date) || !strstr(t, "ลงชื่อ") ||
            !strstr(t, "สำนักงานเขตพื้นที่การศึกษาประถมศึกษา"))
            fail_msg("%s text:\n%s", forms[i].form, t);
        assert_null(strstr(t, "&lt;"));
        free(t);
        char *h = print_form(f, forms[i].form, forms[i].id, DOC_HTML, 0);
        if (!strstr(h, "<!DOCTYPE html>") || !strstr(h, forms[i].title) || !strstr(h, forms[i].escaped) ||
            !strstr(h, forms[i].date) || !strstr(h, "@page{size:A4") || !strstr(h, "</html>"))
            fail_msg("%s html:\n%s", forms[i].form, h);
        free(h);
    }
    /* Code lists and states come out as words, in the language asked. */
    char *t = print_form(f, "access_request", 1, DOC_TEXT, 0);
    assert_non_null(strstr(t, "เจ้าหน้าที่โรงเรียน"));
    assert_non_null(strstr(t, "รอการพิจารณา"));
    free(t);
    f->app.lang = "en";
    t = print_form(f, "access_request", 1, DOC_TEXT, 0);
    assert_non_null(strstr(t, "Request for access to the information system"));
    assert_non_null(strstr(t, "school officer"));
    free(t);
    /* The tracking form does not print a summary row, nor a row that is not there. */
    char *e = print_form(f, "tracking", 2, DOC_TEXT, -1);
    assert_non_null(strstr(e, "kind"));
    free(e);
    e = print_form(f, "info_report", 42, DOC_TEXT, -1);
    assert_non_null(strstr(e, "42"));
    free(e);
    e = print_form(f, "no_such_form", 1, DOC_TEXT, -1);
    free(e);
    e = print_form(f, "../esis", 1, DOC_TEXT, -1);
    free(e);
}

/* A printed form names people by their account's full name and position,
 * never by a login: a login in a signature's field, the row's author, the
 * holder of a role. */
static void test_print_signers(void **state)
{
    fixture *f = *state;
    seed_forms(f);
    fx_accounts(f->app.db);
    f->app.lang = "th";
    exec_ok(f->app.db, "UPDATE access_requests SET decided_by = 'director1', state = 'approved'");
    exec_ok(f->app.db, "UPDATE coordination_records SET recorded_by = 'staff1'");
    exec_ok(f->app.db, "INSERT INTO info_reports(reported_on, title) VALUES ('2024-07-02', 'ไม่มีผู้รายงาน')");
    for (int html = 0; html < 2; html++) {
        doc_output kind = html ? DOC_HTML : DOC_TEXT;
        char *t = print_form(f, "access_request", 1, kind, 0);
        if (!strstr(t, "นายผู้อำนวย การเขต") || !strstr(t, "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา") || strstr(t, "director1"))
            fail_msg("access_request:\n%s", t);
        free(t);
        t = print_form(f, "coordination_record", 1, kind, 0);
        if (!strstr(t, "นางสาวเจ้าหน้าที่ ข้อมูล") || !strstr(t, "นักวิเคราะห์นโยบายและแผน") || strstr(t, "staff1") ||
            !strstr(t, "นางหัวหน้า กลุ่มงาน"))
            fail_msg("coordination_record:\n%s", t);
        free(t);
        /* No reporter typed: the row's author (staff1, the session), and the director. */
        t = print_form(f, "info_report", 2, kind, 0);
        if (!strstr(t, "นางสาวเจ้าหน้าที่ ข้อมูล") || !strstr(t, "นายผู้อำนวย การเขต") || strstr(t, "staff1") ||
            strstr(t, "director1"))
            fail_msg("info_report:\n%s", t);
        free(t);
    }
}

static void test_bad_layout(void **state)
{
    fixture *f = *state;
    char err[1024] = "", newhome[300];
    fx_bad_conf(f, "documents", "[document]\ntable = info_reports\ntitle_th = ก\ntitle_en = A\n[item.1]\n"
                "label_th = ก\nlabel_en = a\nfield = summry\n", newhome, sizeof newhome);
    char *home = f->app.home;
    f->app.home = newhome;
    doc_layout *d = NULL;
    int rc = doc_load(&f->app, "bad", &d, err, sizeof err);
    f->app.home = home;
    assert_int_equal(rc, -1);
    assert_non_null(strstr(err, "conf/documents/bad.ini [item.1] field: 'summry' is not a column of info_reports"));
}

static void test_access_to_account(void **state)
{
    fixture *f = *state;
    esis_app *app = &f->app;
    char err[1024] = "";
    char *me = auth_unix_login();
    /* The director exists as a user; a request for the Unix login running the test. */
    db_session_set(app->db, &fx_admin);
    assert_int_equal(auth_user_add(app->db, "director1", "director", NULL, 0, "ผอ.", NULL, NULL, err, sizeof err), 0);
    db_session_set(app->db, &fx_staff);
    char sql[600];
    snprintf(sql, sizeof sql, "INSERT INTO access_requests(requested_on, requester, login, role, schools, data_wanted,"
                              " purpose, months) VALUES ('2026-01-05', 'นางสาวครู ข้อมูล', '%s', 'school', '1074000001',"
                              " 'นักเรียน', 'แก้ไขข้อมูล DMC', 12)", me);
    exec_ok(app->db, sql);
    exec_ok(app->db, "INSERT INTO access_requests(requested_on, requester, login, role, data_wanted, purpose)"
                     " VALUES ('2026-01-06', 'นายอื่น', 'other', 'viewer', 'ทั้งหมด', 'อยากดู')");
    /* Before: not a user. */
    assert_null(auth_login(app->db, NULL, "test", err, sizeof err));
    assert_non_null(strstr(err, "is not an esis user"));
    /* Office staff do not decide; the director does. */
    assert_int_equal(access_approve(app, 1, NULL, NULL, true, err, sizeof err), -1);
    assert_non_null(strstr(err, "director"));
    db_session_set(app->db, &fx_director);
    assert_int_equal(access_refuse(app, 2, " ", err, sizeof err), -1);
    assert_non_null(strstr(err, "reason"));
    assert_int_equal(access_refuse(app, 2, "ไม่มีความจำเป็น", err, sizeof err), 0);
    assert_int_equal(access_approve(app, 2, NULL, NULL, false, err, sizeof err), -1);   /* decided */
    /* The director decides; the account is an administrator's to create. */
    assert_int_equal(access_approve(app, 1, NULL, "อนุมัติ 12 เดือน", true, err, sizeof err), -1);
    assert_non_null(strstr(err, "administrator"));
    assert_int_equal(access_approve(app, 1, NULL, "อนุมัติ 12 เดือน", false, err, sizeof err), 0);
    assert_int_equal(access_create_user(app, 1, err, sizeof err), -1);
    db_session_set(app->db, &fx_admin);
    assert_int_equal(access_create_user(app, 2, err, sizeof err), -1);                  /* refused */
    assert_int_equal(access_create_user(app, 1, err, sizeof err), 0);
    assert_int_equal(access_create_user(app, 1, err, sizeof err), -1);                  /* once */
    db_session_set(app->db, &fx_director);
    assert_int_equal(fx_count(app->db, "SELECT count(*) FROM access_requests WHERE id = 1 AND state = 'approved'"
                                       " AND decided_by = 'director1' AND user_created = 1"
                                       " AND decided_on = date('now','localtime')"
                                       " AND expires = date('now','localtime','+12 months')"), 1);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM users WHERE login = '%s' AND role = 'school'"
                              " AND expires = date('now','localtime','+12 months')", me);
    assert_int_equal(fx_count(app->db, sql), 1);
    assert_int_equal(fx_count(app->db, "SELECT count(*) FROM audit WHERE table_name = 'access_requests'"
                                       " AND action = 'update' AND actor = 'director1'"), 2);
    assert_int_equal(fx_count(app->db, "SELECT count(*) FROM audit WHERE table_name = 'users'"
                                       " AND action = 'insert' AND actor = 'admin1'"), 2);
    /* Login works as that user, with the role and school asked for. */
    auth_user *u = auth_login(app->db, NULL, "test", err, sizeof err);
    if (!u) fail_msg("%s", err);
    assert_string_equal(u->role, "school");
    assert_int_equal(u->nschools, 1);
    assert_string_equal(u->schools[0], "1074000001");
    assert_false(u->session.all_schools);
    auth_user_free(u);
    /* The access ends: refused with a clear message. */
    snprintf(sql, sizeof sql, "UPDATE users SET expires = date('now','localtime','-1 day') WHERE login = '%s'", me);
    exec_ok(app->db, sql);
    assert_null(auth_login(app->db, NULL, "test", err, sizeof err));
    assert_non_null(strstr(err, "expired on"));
    /* An administrator's approval with a login that exists changes nothing. */
    snprintf(sql, sizeof sql, "INSERT INTO access_requests(requested_on, requester, login, role, data_wanted, purpose)"
                              " VALUES ('2026-02-01', 'ซ้ำ', '%s', 'viewer', 'x', 'y')", me);
    exec_ok(app->db, sql);
    db_session_set(app->db, &fx_admin);
    assert_int_equal(access_approve(app, 3, NULL, NULL, true, err, sizeof err), -1);
    assert_int_equal(fx_count(app->db, "SELECT count(*) FROM access_requests WHERE id = 3 AND state = 'pending'"), 1);
    free(me);
}

static int count_release(void *ctx, const service_release *r)
{
    (void)r;
    (*(int *)ctx)++;
    return 0;
}

/* An independent reader of a served file: python3's csv module, the
 * students table read with python3's sqlite3.  Prints what it finds that
 * should not be there (a 13-digit ID, a student's or a parent's name, a
 * count from 1 to 4) and the cells of column `col` (may be ""), one a line. */
static char *inspect(fixture *f, const char *csv_path, const char *col)
{
    char py[300], cmd[1200];
    snprintf(py, sizeof py, "%s/inspect.py", f->dir);
    FILE *fp = fopen(py, "w");
    assert_non_null(fp);
    fputs("import csv, re, sqlite3, sys\n"
          "path, db, col = sys.argv[1], sys.argv[2], sys.argv[3]\n"
          "names = set()\n"
          "for row in sqlite3.connect(db).execute('SELECT first_name, last_name, father_name, mother_name,"
          " guardian_name FROM students'):\n"
          "    for v in row:\n"
          "        if v: names.update([v] + v.split())\n"
          "rows = list(csv.reader(open(path, encoding='utf-8-sig')))\n"
          "head = rows[0]\n"
          "for r in rows[1:]:\n"
          "    for h, v in zip(head, r):\n"
          "        if re.search(r'(?<!\\d)\\d{13}(?!\\d)', v): print('ID', v)\n"
          "        if any(n and n in v for n in names): print('NAME', v)\n"
          "        if re.fullmatch(r'[1-4]', v): print('SMALL', h, v)\n"
          "        if h == col: print('CELL', v)\n"
          "        if v.startswith('<'): print('SUPPRESSED', h, v)\n"
          "    if sum(v.startswith('<') for v in r) == 1: print('LONE', r)\n"
          "data = [r for r in rows[1:] if r and r[0] not in ('รวม', 'Total')]\n"
          "tot = [r for r in rows[1:] if r and r[0] in ('รวม', 'Total')]\n"
          "for i, h in enumerate(head):\n"
          "    if sum(len(r) > i and r[i].startswith('<') for r in data) == 1 and not (tot and tot[0][i].startswith('<')):\n"
          "        print('LONE column', h)\n"
          "print('HEAD', ' '.join(head))\n", fp);
    fclose(fp);
    snprintf(cmd, sizeof cmd, "python3 '%s' '%s' '%s' '%s'", py, csv_path, f->db, col);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char *buf = calloc(1, 65536);
    size_t n = fread(buf, 1, 65535, p);
    buf[n] = '\0';
    assert_int_equal(pclose(p), 0);
    return buf;
}

/* sha256sum of path, the tool's own reckoning. */
static void sha256sum(const char *path, char hex[65])
{
    char cmd[400];
    snprintf(cmd, sizeof cmd, "sha256sum '%s'", path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    assert_int_equal(fscanf(p, "%64s", hex), 1);
    pclose(p);
}

static void expect_logged(fixture *f, long long request, const char *file, long rows, const char *level)
{
    char hex[65], sql[900];
    sha256sum(file, hex);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM service_exports WHERE request_id = %lld AND file = '%s'"
                              " AND rows = %ld AND level = '%s' AND sha256 = '%s' AND by_login = 'staff1'"
                              " AND at IS NOT NULL AND purpose IS NOT NULL AND legal_basis IS NOT NULL",
             request, file, rows, level, hex);
    if (fx_count(f->app.db, sql) != 1) fail_msg("no release row: %s", sql);
}

static void test_serve(void **state)
{
    fixture *f = *state;
    esis_app *app = &f->app;
    char err[1024] = "", out[300];
    assert_int_equal(rounds_ensure(app->db, app->conf, "2567-1", err, sizeof err), 0);
    fx_accounts(app->db);
    db_session_set(app->db, &fx_staff);
    /* Six children in P3 of school 1 (3 boys, 3 girls), two in P4 and one in
     * school 2: the counts of 1-4 must not come out. */
    static const char *const kids[][6] = {
        { "1103702071811", "สมชาย", "ใจดี", "1", "P3", "นายสมศักดิ์ ใจดี" },
        { "1103702071829", "สมหญิง", "รักเรียน", "2", "P3", "นายสมหมาย รักเรียน" },
        { "1103702071837", "มานะ", "อดทน", "1", "P3", "นายมานพ อดทน" },
        { "1103702071845", "มานี", "มีนา", "2", "P3", "นายปิติ มีนา" },
        { "1103702071853", "ชูใจ", "สายสุข", "2", "P3", "นายชูชาติ สายสุข" },
        { "1103702071861", "ปิติ", "พอเพียง", "1", "P3", "นายเพียร พอเพียง" },
        { "1103702071870", "วีระ", "กล้าหาญ", "1", "P4", "นายกล้า กล้าหาญ" },
        { "1103702071888", "ดวงใจ", "งามยิ่ง", "2", "P4", "นายงาม งามยิ่ง" },
    };
    char sql[1200];
    for (size_t i = 0; i < sizeof kids / sizeof *kids; i++) {
        snprintf(sql, sizeof sql, "INSERT INTO students(round_code, school_code, citizen_id, prefix, first_name, last_name,"
                                  " gender, birth_date, nationality, religion, disability, weight_kg, tambon, amphoe,"
                                  " father_name, grade, room) VALUES ('2567-1', '1074000001', '%s', 'เด็กชาย', '%s', '%s',"
                                  " '%s', '2015-05-0%zu', 'TH', 'พุทธ', '02', 25.5, 'ท่าพี่เลี้ยง', 'เมือง', '%s', '%s', 1)",
                 kids[i][0], kids[i][1], kids[i][2], kids[i][3], i + 1, kids[i][5], kids[i][4]);
        exec_ok(app->db, sql);
    }
    exec_ok(app->db, "INSERT INTO students(round_code, school_code, citizen_id, first_name, last_name, gender, grade,"
                     " birth_date) VALUES ('2567-1', '1074000002', '1103702071896', 'เดียว', 'ลำพัง', '1', 'P1', '2017-01-02')");
    exec_ok(app->db, "INSERT INTO service_requests(asked_on, requester, organisation, data_wanted, purpose, legal_basis, round_code)"
                     " VALUES ('2024-07-01', 'นายวิจัย', 'มหาวิทยาลัย', 'รายชื่อนักเรียน', 'วิจัย', 'PDPA ม.24(1) ยินยอม', '2567-1')");
    service_result res;

    /* Nobody approved: the aggregate, with no ID, no name, no small count. */
    snprintf(out, sizeof out, "%s/r1.csv", f->dir);
    assert_int_equal(service_serve(app, 1, "dmc", NULL, out, &res, err, sizeof err), 0);
    assert_true(res.aggregate);
    char *seen = inspect(f, out, "");
    if (strstr(seen, "ID ") || strstr(seen, "NAME ") || strstr(seen, "SMALL ") || strstr(seen, "LONE "))
        fail_msg("aggregate:\n%s", seen);
    assert_non_null(strstr(seen, "<5"));     /* school 2's one child, P4's two */
    free(seen);
    assert_int_equal(res.rows, 2);           /* a row a school */
    expect_logged(f, 1, out, 2, "aggregate");
    assert_int_equal(fx_count(app->db, "SELECT count(*) FROM service_requests WHERE id = 1 AND served_by = 'staff1'"
                                       " AND delivered_on = date('now','localtime') AND state = 'delivered'"), 1);

    /* Approving records: staff, the administrator, an undelegated deputy
     * cannot; the director must name fields and an expiry. */
    exec_ok(app->db, "INSERT INTO service_requests(asked_on, requester, data_wanted, purpose, round_code)"
                     " VALUES ('2024-07-02', 'ศาล', 'ข้อมูลนักเรียนรายบุคคล', 'คดี', '2567-1')");
    service_approval ap = { true, "dmc", "first_name disability", "31/12/2599", NULL, NULL, NULL };
    assert_int_equal(service_approve(app, 2, &ap, err, sizeof err), -1);
    db_session_set(app->db, &fx_admin);
    assert_int_equal(service_approve(app, 2, &ap, err, sizeof err), -1);
    db_session_set(app->db, &fx_deputy2);
    assert_int_equal(service_approve(app, 2, &ap, err, sizeof err), -1);
    db_session_set(app->db, &fx_director);
    assert_int_equal(service_approve(app, 2, &ap, err, sizeof err), -1);          /* no legal basis */
    assert_non_null(strstr(err, "legal basis"));
    ap.legal_basis = "ป.วิ.อ. มาตรา 132";
    ap.fields = "";
    assert_int_equal(service_approve(app, 2, &ap, err, sizeof err), -1);
    ap.kind = "schools";                                                           /* no personal data */
    assert_int_equal(service_approve(app, 2, &ap, err, sizeof err), -1);
    ap.kind = NULL;
    assert_int_equal(service_approve(app, 2, &ap, err, sizeof err), -1);
    ap.kind = "dmc";
    ap.fields = "first_name shoe_size";
    assert_int_equal(service_approve(app, 2, &ap, err, sizeof err), -1);
    assert_non_null(strstr(err, "shoe_size"));
    ap.fields = "first_name disability";
    ap.expires = "01/01/2500";
    assert_int_equal(service_approve(app, 2, &ap, err, sizeof err), -1);
    ap.expires = NULL;
    assert_int_equal(service_approve(app, 2, &ap, err, sizeof err), -1);
    /* Typing an approval into the request's form is not one. */
    db_session_set(app->db, &fx_staff);
    exec_ok(app->db, "UPDATE service_requests SET state = 'approved', unmask_personal = 1, approved_by = 'director1' WHERE id = 2");
    assert_false(service_records_approved(app, 2));
    exec_ok(app->db, "UPDATE service_requests SET state = 'received', unmask_personal = 0, approved_by = NULL WHERE id = 2");
    db_session_set(app->db, &fx_deputy);                                            /* delegated */
    ap.expires = "31/12/2599";
    assert_int_equal(service_approve(app, 2, &ap, err, sizeof err), 0);
    db_session_set(app->db, &fx_staff);
    assert_true(service_records_approved(app, 2));
    assert_int_equal(fx_count(app->db, "SELECT count(*) FROM service_approvals WHERE request_id = 2 AND approved_by = 'deputy1'"
                                       " AND approver_role = 'deputy' AND fields = 'first_name disability'"
                                       " AND expires = '2056-12-31' AND legal_basis = 'ป.วิ.อ. มาตรา 132' AND purpose = 'คดี'"), 1);
    /* Records: the named fields and the plain ones; no ID, no surname, no
     * parent, no exact birth date, no sub-district, no religion, no weight. */
    snprintf(out, sizeof out, "%s/r2.csv", f->dir);
    assert_int_equal(service_serve(app, 2, "dmc", "2567-1", out, &res, err, sizeof err), 0);
    assert_false(res.aggregate);
    assert_int_equal(res.rows, 9);
    seen = inspect(f, out, "birth_date_year_be");
    assert_non_null(strstr(seen, "HEAD round_code school_code first_name gender birth_date_year_be nationality grade amphoe"
                                 " province disability status"));
    assert_null(strstr(seen, "ID "));
    assert_non_null(strstr(seen, "NAME สมชาย"));          /* named: first names go out */
    assert_null(strstr(seen, "ใจดี"));                     /* surnames and parents do not */
    assert_null(strstr(seen, "สมศักดิ์"));
    assert_non_null(strstr(seen, "CELL 2558"));
    free(seen);
    expect_logged(f, 2, out, 9, "records");
    assert_int_equal(fx_count(app->db, "SELECT count(*) FROM service_exports WHERE request_id = 2 AND approved_by = 'deputy1'"
                                       " AND fields LIKE '%first_name%disability%' AND fields NOT LIKE '%last_name%'"), 1);
    /* The approval is of students: staff are served as their aggregate. */
    snprintf(out, sizeof out, "%s/r2s.csv", f->dir);
    assert_int_equal(service_serve(app, 2, "staff", "2567-1", out, &res, err, sizeof err), 0);
    assert_string_equal(res.level, "aggregate");
    /* Time passes: the approval expires and the serve is refused. */
    exec_ok(app->db, "UPDATE service_approvals SET expires = date('now','localtime','-1 day') WHERE request_id = 2");
    snprintf(out, sizeof out, "%s/r3.csv", f->dir);
    assert_int_equal(service_serve(app, 2, "dmc", "2567-1", out, &res, err, sizeof err), -1);
    assert_non_null(strstr(err, "expired"));
    assert_int_equal(access(out, F_OK), -1);
    /* A report serves figures with small cells suppressed. */
    snprintf(out, sizeof out, "%s/r4.csv", f->dir);
    assert_int_equal(service_serve(app, 1, "students_by_grade_gender", "2567-1", out, &res, err, sizeof err), 0);
    seen = inspect(f, out, "");
    if (strstr(seen, "SMALL ") || strstr(seen, "NAME ") || strstr(seen, "LONE ")) fail_msg("report:\n%s", seen);
    free(seen);
    expect_logged(f, 1, out, res.rows, "report");
    /* Refused requests are not served; unknown kinds are named. */
    exec_ok(app->db, "INSERT INTO service_requests(asked_on, requester, data_wanted, purpose) VALUES ('2024-07-03', 'x', 'y', 'z')");
    db_session_set(app->db, &fx_director);
    assert_int_equal(service_refuse(app, 3, "", err, sizeof err), -1);
    assert_int_equal(service_refuse(app, 3, "ไม่มีฐานทางกฎหมาย", err, sizeof err), 0);
    db_session_set(app->db, &fx_staff);
    assert_int_equal(service_serve(app, 3, "dmc", NULL, out, &res, err, sizeof err), -1);
    assert_int_equal(service_serve(app, 1, "nothing", NULL, out, &res, err, sizeof err), -1);
    assert_non_null(strstr(err, "nothing"));
    assert_int_equal(fx_count(app->db, "SELECT count(*) FROM service_exports"), 4);
    /* The log: the director, a deputy and the administrator; not staff. */
    int n = 0;
    assert_int_equal(service_log_each(app, 0, count_release, &n, err, sizeof err), -1);
    db_session_set(app->db, &fx_admin);
    assert_int_equal(service_log_each(app, 0, count_release, &n, err, sizeof err), 0);
    db_session_set(app->db, &fx_director);
    assert_int_equal(service_log_each(app, 2, count_release, &n, err, sizeof err), 0);
    assert_int_equal(n, 6);          /* all 4, then request 2's records and staff */
}

static int collect_row(void *ctx, const report_def *rep, const report_row *row)
{
    (void)rep;
    if (!row->total) snprintf((char *)ctx + strlen(ctx), 200, "%s;", row->text[0]);
    return 0;
}

static void test_briefings(void **state)
{
    fixture *f = *state;
    esis_app *app = &f->app;
    char err[1024] = "";
    long long id = 0;
    int added = 0;
    assert_int_equal(briefing_add(app, "20/05/2567", "ชี้แจง DMC รอบ 1", "2567-1", NULL, "ห้องประชุม", &id, err, sizeof err), 0);
    assert_int_equal(fx_count(app->db, "SELECT count(*) FROM briefings WHERE held_on = '2024-05-20' AND kind = 'meeting'"), 1);
    assert_int_equal(briefing_add(app, "31/02/2567", "x", NULL, NULL, NULL, NULL, err, sizeof err), -1);
    assert_int_equal(briefing_add(app, "20/05/2567", "", NULL, NULL, NULL, NULL, err, sizeof err), -1);
    assert_int_equal(briefing_add(app, "20/05/2567", "x", "2567-7", NULL, NULL, NULL, err, sizeof err), -1);
    const char *bad[] = { "1074000001", "1074009999" };
    assert_int_equal(briefing_attend(app, id, bad, 2, &added, err, sizeof err), -1);
    assert_non_null(strstr(err, "1074009999"));
    assert_int_equal(fx_count(app->db, "SELECT count(*) FROM briefing_attendance"), 0);
    assert_int_equal(briefing_attend(app, id, bad, 1, &added, err, sizeof err), 0);
    assert_int_equal(added, 1);
    assert_int_equal(briefing_attend(app, id, bad, 1, &added, err, sizeof err), 0);
    assert_int_equal(added, 0);
    /* The report: the school that did not come. */
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/conf/reports", app->home);
    report_set *set = NULL;
    if (report_load_dir(app->db, app->conf, dir, &set, err, sizeof err)) fail_msg("%s", err);
    const report_def *rep = report_find(set, "briefing_missed");
    assert_non_null(rep);
    report_params p = { "2567-1", 0, NULL, "th", 0 };
    char got[512] = "";
    assert_int_equal(report_run(set, rep, &p, collect_row, got, err, sizeof err), 0);
    assert_string_equal(got, "1074000002;");
    report_set_free(set);
}

/* The commands clean what they are given with the normaliser the form and
 * the importer use (norm.h), and write through the data layer's gate: a
 * school code with Thai digits, spaces or dashes is the same code; a date
 * in BE with Thai digits is the same date; a briefing of a locked round is
 * refused to the office's staff.  The old commands refused the spellings
 * (code not found, date not a date) and wrote into the locked round. */
static void test_commands_clean_like_the_form(void **state)
{
    fixture *f = *state;
    esis_app *app = &f->app;
    fx_accounts(app->db);
    char err[1024] = "";
    long long id = 0;
    int added = 0;
    assert_int_equal(briefing_add(app, " ๒๐/๐๕/๒๕๖๗ ", "ก", NULL, NULL, NULL, &id, err, sizeof err), 0);
    assert_int_equal(briefing_add(app, "2024-05-20", "ข", NULL, NULL, NULL, NULL, err, sizeof err), 0);
    assert_int_equal(fx_count(app->db, "SELECT count(*) FROM briefings WHERE held_on = '2024-05-20'"), 2);
    const char *codes[] = { "๑๐๗๔ ๐๐๐ ๐๐๑", "1074-000-002" };
    if (briefing_attend(app, id, codes, 2, &added, err, sizeof err)) fail_msg("attend: %s", err);
    assert_int_equal(added, 2);
    assert_int_equal(fx_count(app->db, "SELECT count(*) FROM briefing_attendance WHERE school_code IN"
                                       " ('1074000001', '1074000002')"), 2);
    /* the gate: a locked round takes no briefing from staff, nothing written */
    db_session_set(app->db, NULL);
    exec_ok(app->db, "INSERT INTO rounds(round_code, collection, academic_year, round_no, as_of, opens, closes, state)"
                     " VALUES ('2567-1', 'dmc', 2567, 1, '2024-06-10', '2024-05-01', '2024-06-30', 'locked')");
    db_session_set(app->db, &fx_staff);
    assert_int_equal(briefing_add(app, "20/05/2567", "ค", "2567-1", NULL, NULL, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "locked"));
    assert_int_equal(fx_count(app->db, "SELECT count(*) FROM briefings WHERE title = 'ค'"), 0);
    /* an access decision dated in Thai digits, BE: stored as ISO CE */
    exec_ok(app->db, "INSERT INTO access_requests(requested_on, requester, login, role, data_wanted, purpose, months)"
                     " VALUES ('2026-01-05', 'นายขอ ดู', 'reader1', 'viewer', 'นักเรียน', 'ดูข้อมูล', 12)");
    long long req = fx_count(app->db, "SELECT max(id) FROM access_requests");
    /* the gate: a director's session that may not write decides nothing */
    db_session ro = fx_director;
    ro.may_write = false;
    db_session_set(app->db, &ro);
    assert_int_equal(access_approve(app, req, "15/01/2569", NULL, false, err, sizeof err), -1);
    assert_int_equal(access_refuse(app, req, "ไม่จำเป็น", err, sizeof err), -1);
    assert_int_equal(fx_count(app->db, "SELECT count(*) FROM access_requests WHERE state = 'pending'"), 1);
    db_session_set(app->db, &fx_director);
    if (access_approve(app, req, "๑๕/๐๑/๒๕๖๙", NULL, false, err, sizeof err)) fail_msg("approve: %s", err);
    assert_int_equal(fx_count(app->db, "SELECT count(*) FROM access_requests WHERE decided_on = '2026-01-15'"
                                       " AND expires = '2027-01-15'"), 1);
}

static char *booklet(fixture *f, report_output kind, int want)
{
    char *buf = NULL, err[1024] = "";
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    int rc = booklet_render(&f->app, "booklet", 2567, kind, out, err, sizeof err);
    fclose(out);
    if (rc != want) fail_msg("booklet: rc %d: %s", rc, err);
    if (rc) { free(buf); return strdup(err); }
    return buf;
}

static void test_booklet(void **state)
{
    fixture *f = *state;
    esis_app *app = &f->app;
    char err[1024] = "";
    assert_true(booklet_exists(app, "booklet"));
    assert_false(booklet_exists(app, "info_report"));
    assert_false(booklet_exists(app, "../booklet"));
    assert_int_equal(rounds_ensure(app->db, app->conf, "2566-1", err, sizeof err), 0);
    assert_int_equal(rounds_ensure(app->db, app->conf, "2567-1", err, sizeof err), 0);
    exec_ok(app->db, "UPDATE schools SET name_th = 'บ้าน <หนึ่ง>' WHERE school_code = '1074000001'");
    exec_ok(app->db, "INSERT INTO students(round_code, school_code, citizen_id, gender, grade, room) VALUES"
                     " ('2566-1', '1074000001', '1103702071811', '1', 'P2', 1),"
                     " ('2567-1', '1074000001', '1103702071811', '1', 'P3', 1),"
                     " ('2567-1', '1074000002', '1234567890121', '2', 'P1', 1)");
    f->app.lang = "th";
    char *h = booklet(f, REPORT_OUT_HTML, 0);
    /* One page: one head, one office heading, every section in order. */
    char *first = strstr(h, "<!DOCTYPE html>");
    assert_non_null(first);
    assert_null(strstr(first + 1, "<!DOCTYPE html>"));
    assert_non_null(strstr(h, "ข้อมูลสารสนเทศทางการศึกษา ประจำปีการศึกษา 2567"));
    const char *order[] = { "จำนวนโรงเรียนจำแนกตามขนาด", "จำนวนนักเรียนจำแนกตามชั้นและเพศ", "อัตรากำลังครู",
                            "การเปลี่ยนแปลงจำนวนนักเรียนเทียบกับปีการศึกษาที่แล้ว" };
    const char *at = h;
    for (int i = 0; i < 4; i++) {
        const char *p = strstr(at, order[i]);
        if (!p) fail_msg("missing or out of order: %s", order[i]);
        at = p;
    }
    assert_int_equal((int)(strstr(h, "</body>") != NULL), 1);
    assert_non_null(strstr(h, "page-break-before:always"));
    assert_non_null(strstr(h, "บ้าน &lt;หนึ่ง&gt;"));
    assert_null(strstr(h, "<h1>"));
    assert_non_null(strstr(h, "<h2 class=\"section\">"));
    assert_non_null(strstr(h, "class=\"bar"));
    free(h);
    char *t = booklet(f, REPORT_OUT_TEXT, 0);
    assert_non_null(strstr(t, "2567-1"));
    assert_non_null(strstr(t, "การเปลี่ยนแปลงจำนวนนักเรียนเทียบกับปีการศึกษาที่แล้ว"));
    free(t);
    char *e = booklet(f, REPORT_OUT_CSV, -1);
    free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_every_form, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_bad_layout, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_print_signers, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_access_to_account, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_serve, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_briefings, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_commands_clean_like_the_form, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_booklet, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

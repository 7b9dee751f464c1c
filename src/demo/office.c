/*
 * office.c: the unit's own work in the demo district, for `esis init --demo`
 * (include/esis/demo.h, demo_fill_office): the office's people, and one or
 * two of each record the README's examples name, so that every example
 * there runs on a fresh demo (tests/e2e/readme_examples.sh runs them).
 *
 *   users                 director, group_head, staff (password DEMO_PASSWORD)
 *   access_requests 1, 2  a school's data officer, a supervisor: pending
 *   service_requests 1    a university researcher's request for DMC data
 *   coordination_records 1  a meeting with the district health office
 *   surveys 1             this year's satisfaction survey, with 6 answers
 *
 * Why not in demo_fill: the generator's tables are a pure function of the
 * seed and the tests and benchmarks fill them again and again; these rows
 * are few, go through the same audit as any other write, and hold salted
 * password hashes, which differ on every run.
 */
#include "demo_internal.h"
#include "esis/auth.h"
#include "esis/db.h"

#include <stdio.h>
#include <string.h>

/* The office's people, as the director's chain of approval needs them. */
static const struct { const char *login, *role, *name, *position; } PEOPLE[] = {
    { "director", "director", "นายประเสริฐ วงศ์ใหญ่", "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษา" },
    { "group_head", "group_head", "นางสุภาพร แสงทอง", "ผู้อำนวยการกลุ่มนโยบายและแผน" },
    { "staff", "staff", "นางสาวกมลวรรณ ศรีสวัสดิ์", "นักวิเคราะห์นโยบายและแผนชำนาญการ" },
};

static int people(sqlite3 *db, char *err, size_t errsz)
{
    for (size_t i = 0; i < sizeof PEOPLE / sizeof PEOPLE[0]; i++) {
        /* The Unix user who made the demo may have one of these names:
         * they stay its administrator. */
        if (db_query_int(db, 0, "SELECT count(*) FROM users WHERE login = ?1", PEOPLE[i].login, (const char *)NULL))
            continue;
        if (auth_user_add(db, PEOPLE[i].login, PEOPLE[i].role, NULL, 0, PEOPLE[i].name, DEMO_PASSWORD, NULL,
                          err, errsz) != 0)
            return -1;
    }
    return 0;
}

/* The records, dated in the demo's academic year (o->year, BE); the
 * service request asks for the previous year's first DMC round. */
static int records(sqlite3 *db, int year, char *err, size_t errsz)
{
    int ce = year - 543;
    char sql[6000];
    snprintf(sql, sizeof sql,
        "UPDATE users SET position = CASE login"
        "  WHEN 'director' THEN '%s' WHEN 'group_head' THEN '%s' WHEN 'staff' THEN '%s' END"
        " WHERE login IN ('director', 'group_head', 'staff') AND position IS NULL;"
        "INSERT INTO access_requests(requested_on, requester, login, position, school_code, role, data_wanted,"
        " purpose, months) SELECT '%d-06-12', 'นางสาวมาลี ศรีสุข', 'malee', 'ครู (เจ้าหน้าที่ข้อมูลโรงเรียน)',"
        " school_code, 'school', 'ข้อมูลนักเรียนรายบุคคล (DMC) ของโรงเรียน',"
        " 'บันทึกและตรวจสอบข้อมูลนักเรียนของโรงเรียนทุกรอบ', 12 FROM schools ORDER BY school_code LIMIT 1;"
        "INSERT INTO access_requests(requested_on, requester, login, position, unit, role, data_wanted, purpose,"
        " months) VALUES ('%d-06-20', 'นายวิชัย ปัญญาดี', 'wichai', 'ศึกษานิเทศก์',"
        " 'กลุ่มนิเทศ ติดตามและประเมินผลการจัดการศึกษา', 'viewer', 'สถิติจำนวนนักเรียนรายโรงเรียน',"
        " 'วางแผนการนิเทศโรงเรียนขนาดเล็ก', 6);"
        "INSERT INTO service_requests(asked_on, requester, organisation, contact, data_wanted, purpose,"
        " legal_basis, round_code) VALUES ('%d-07-03', 'ผศ.ดร.อรุณี ทองดี', 'มหาวิทยาลัยราชภัฏบุรีรัมย์',"
        " 'arunee@example.ac.th', 'จำนวนนักเรียนรายชั้นและเพศ รายโรงเรียน', 'วิจัยการกระจายตัวของนักเรียน',"
        " 'PDPA ม.24(5)', '%d-1');"
        "INSERT INTO coordination_records(recorded_on, agency, contact_person, subject, agreed, follow_up,"
        " recorded_by) VALUES ('%d-07-15', 'สำนักงานสาธารณสุขอำเภอนางรอง', 'นางวันดี ใจงาม',"
        " 'ข้อมูลเด็กอายุ 3-5 ปีในเขตบริการ เพื่อวางแผนรับนักเรียนปีหน้า',"
        " 'แลกเปลี่ยนจำนวนเด็กรายตำบลทุกภาคเรียน', 'ส่งข้อมูลชุดแรกภายในเดือนสิงหาคม', 'staff');"
        "INSERT INTO surveys(questionnaire, title, academic_year, updated_by) VALUES ('satisfaction',"
        " 'ความพึงพอใจต่อระบบข้อมูลสารสนเทศ ปีการศึกษา %d', %d, 'staff');"
        "INSERT INTO survey_answers(survey_id, respondent, answers, updated_by) SELECT last_insert_rowid(), n, a, 'staff'"
        " FROM (SELECT 1 n, '55454' a UNION ALL SELECT 2, '44444' UNION ALL SELECT 3, '54345'"
        " UNION ALL SELECT 4, '45554' UNION ALL SELECT 5, '33434' UNION ALL SELECT 6, '55555');",
        PEOPLE[0].position, PEOPLE[1].position, PEOPLE[2].position, ce, ce, ce, year - 1, ce, year, year);
    return db_exec(db, sql, err, errsz) == SQLITE_OK ? 0 : -1;
}

int demo_fill_office(sqlite3 *db, const demo_opts *o, char *err, size_t errsz)
{
    int year = o->year ? o->year : 2568;
    char why[400] = "";
    if (people(db, why, sizeof why) != 0) {
        snprintf(err, errsz, "demo: users: %s", why);
        return -1;
    }
    if (db_begin(db) != SQLITE_OK) {
        snprintf(err, errsz, "demo: %s", sqlite3_errmsg(db));
        return -1;
    }
    if (records(db, year, why, sizeof why) != 0 || db_commit(db) != SQLITE_OK) {
        snprintf(err, errsz, "demo: the office's records: %s", *why ? why : sqlite3_errmsg(db));
        db_rollback(db);
        return -1;
    }
    return 0;
}

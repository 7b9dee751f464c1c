/* test_trust: user management (admin only, never the last admin, audited,
 * hashes hidden), login refusals, history through the gate (scoped,
 * masked, fields split), drafts (per user, two sessions), restore through
 * the backup API, the setgid privilege steps. */
#define _GNU_SOURCE 1  /* setresgid, getresgid */
#include "fixture.h"
#include "esis/auth.h"
#include "esis/db.h"
#include "esis/draft.h"
#include "esis/privilege.h"

#include <sys/stat.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

static char path[256];

static sqlite3 *open_db(void)
{
    sqlite3 *db = NULL;
    char err[512];
    assert_int_equal(db_open(path, true, 5000, &db, err, sizeof err), SQLITE_OK);
    return db;
}

static sqlite3 *open_fresh(void)
{
    fx_db_path(path, sizeof path, "trust");
    sqlite3 *db = open_db();
    exec_ok(db, "INSERT INTO schools(school_code, name_th, amphoe) VALUES"
                " ('1074000001','โรงเรียนบ้านสุ่ม','เมือง'), ('1074000002','โรงเรียนวัดดอน','กระทุ่มแบน');"
                "INSERT INTO rounds(round_code, collection, academic_year, round_no, as_of, opens, closes, state)"
                " VALUES ('2567-1','dmc',2567,1,'2024-06-10','2000-01-01','2999-12-31','open');");
    return db;
}

static db_session admin = { "boss", "cli:user", "admin", true, true, true, NULL, 0 };
static db_session staff = { "staff1", "cli:user", "staff", true, true, true, NULL, 0 };

static void test_user_management(void **state)
{
    (void)state;
    sqlite3 *db = open_fresh();
    char err[512];
    /* esis init adds the first administrator with no session attached. */
    assert_int_equal(auth_user_add(db, "boss", "admin", NULL, 0, "ผู้ดูแล", NULL, NULL, err, sizeof err), 0);
    db_session_set(db, &admin);
    const char *one[] = { "1074000001" }, *two[] = { "1074000002" };
    assert_int_equal(auth_user_add(db, "school1", "school", one, 1, NULL, NULL, "2199-12-31", err, sizeof err), 0);
    assert_int_equal(auth_user_add(db, "staff1", "staff", NULL, 0, NULL, "correct horse", NULL, err, sizeof err), 0);
    /* Refusals, each with a reason. */
    assert_int_equal(auth_user_add(db, "staff1", "staff", NULL, 0, NULL, NULL, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "already"));
    assert_int_equal(auth_user_add(db, "s2", "school", NULL, 0, NULL, NULL, NULL, err, sizeof err), -1);
    assert_int_equal(auth_user_add(db, "s3", "staff", one, 1, NULL, NULL, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "school role only"));
    assert_int_equal(auth_user_add(db, "s4", "boss", NULL, 0, NULL, NULL, NULL, err, sizeof err), -1);
    assert_int_equal(auth_user_add(db, "s5", "viewer", NULL, 0, NULL, NULL, "31/02/2567", err, sizeof err), -1);
    assert_int_equal(auth_user_add(db, "s6", "school", (const char *[]){ "9999999999" }, 1, NULL, NULL, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "9999999999"));
    assert_int_equal(auth_user_add(db, "bad name", "viewer", NULL, 0, NULL, NULL, NULL, err, sizeof err), -1);
    assert_int_equal(db_query_int(db, 0, "SELECT count(*) FROM users", (const char *)NULL), 3);

    /* Role and schools are replaced; each change is audited with the actor. */
    assert_int_equal(auth_user_set_role(db, "school1", "school", two, 1, err, sizeof err), 0);
    assert_int_equal(db_query_int(db, 0, "SELECT count(*) FROM user_schools WHERE login='school1'"
                                         " AND school_code='1074000002'", (const char *)NULL), 1);
    assert_int_equal(db_query_int(db, 0, "SELECT count(*) FROM user_schools", (const char *)NULL), 1);
    assert_int_equal(auth_user_set_disabled(db, "school1", true, err, sizeof err), 0);
    assert_int_equal(auth_user_set_disabled(db, "school1", false, err, sizeof err), 0);
    assert_int_equal(db_query_int(db, 0, "SELECT count(*) FROM audit WHERE table_name IN ('users','user_schools')"
                                         " AND actor = 'boss'", (const char *)NULL), 7);
    /* Never the last administrator. */
    assert_int_equal(auth_user_set_disabled(db, "boss", true, err, sizeof err), -1);
    assert_non_null(strstr(err, "last enabled administrator"));
    assert_int_equal(auth_user_set_role(db, "boss", "staff", NULL, 0, err, sizeof err), -1);
    assert_int_equal(auth_user_set_disabled(db, "nobody", true, err, sizeof err), -1);

    /* Passwords: set, checked; the hash never reaches the audit trail. */
    assert_int_equal(auth_user_set_password(db, "school1", "ใหม่-password", err, sizeof err), 0);
    assert_int_equal(db_query_int(db, 1, "SELECT count(*) FROM audit WHERE coalesce(old_values,'') || coalesce(new_values,'')"
                                         " LIKE '%$y$%'", (const char *)NULL), 0);
    assert_int_equal(db_query_int(db, 0, "SELECT count(*) FROM audit WHERE table_name='users' AND action='update'"
                                         " AND json_extract(new_values,'$.password_hash')='(hidden)'", (const char *)NULL), 1);

    /* Only administrators manage users, whichever caller asks. */
    db_session_set(db, &staff);
    assert_int_equal(auth_user_add(db, "x1", "viewer", NULL, 0, NULL, NULL, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "only an administrator"));
    assert_int_equal(auth_user_set_disabled(db, "school1", true, err, sizeof err), -1);
    assert_int_equal(auth_user_set_role(db, "staff1", "admin", NULL, 0, err, sizeof err), -1);
    assert_int_equal(auth_user_set_password(db, "boss", "x-12345678", err, sizeof err), -1);
    assert_int_equal(auth_user_list(db, NULL, NULL, err, sizeof err), -1);
    db_session_set(db, NULL);
    assert_false(auth_password_acceptable("1234567890"));
    assert_false(auth_password_acceptable("short"));
    assert_true(auth_password_acceptable("รหัสยาวพอ"));
    db_close(db);
    unlink_db(path);
}

static int count_user(const auth_user_info *u, void *ctx)
{
    int *n = ctx;
    if (!strcmp(u->login, "school1")) assert_string_equal(u->schools, "1074000001");
    (*n)++;
    return 0;
}

static void test_login_refusals(void **state)
{
    (void)state;
    sqlite3 *db = open_fresh();
    char err[512];
    assert_int_equal(auth_user_add(db, "boss", "admin", NULL, 0, NULL, NULL, NULL, err, sizeof err), 0);
    const char *one[] = { "1074000001" };
    assert_int_equal(auth_user_add(db, "school1", "school", one, 1, NULL, "pass-word-1", NULL, err, sizeof err), 0);
    assert_int_equal(auth_user_add(db, "old", "viewer", NULL, 0, NULL, "pass-word-1", "2001-01-01", err, sizeof err), 0);
    db_session_set(db, &admin);
    int n = 0;
    assert_int_equal(auth_user_list(db, count_user, &n, err, sizeof err), 0);
    assert_int_equal(n, 3);
    db_session_set(db, NULL);

    /* Unknown: one clear line, no crash. */
    assert_null(auth_login(db, "stranger", "test", err, sizeof err));
    assert_non_null(strstr(err, "'stranger' is not an esis user"));
    assert_null(strchr(err, '\n'));
    /* The Unix login of the test (root in CI) is not a user either. */
    assert_null(auth_login(db, NULL, "test", err, sizeof err));
    assert_non_null(strstr(err, "is not an esis user"));
    /* Expired, wrong password, right password. */
    setenv("ESIS_PASSWORD", "pass-word-1", 1);
    assert_null(auth_login(db, "old", "test", err, sizeof err));
    assert_non_null(strstr(err, "expired"));
    setenv("ESIS_PASSWORD", "wrong", 1);
    assert_null(auth_login(db, "school1", "test", err, sizeof err));
    assert_non_null(strstr(err, "wrong password"));
    setenv("ESIS_PASSWORD", "pass-word-1", 1);
    auth_user *u = auth_login(db, "school1", "test", err, sizeof err);
    assert_non_null(u);
    assert_false(u->session.all_schools);
    assert_int_equal(u->session.nschools, 1);
    auth_user_free(u);
    /* Disabled. */
    db_session_set(db, &admin);
    assert_int_equal(auth_user_set_disabled(db, "school1", true, err, sizeof err), 0);
    db_session_set(db, NULL);
    assert_null(auth_login(db, "school1", "test", err, sizeof err));
    assert_non_null(strstr(err, "disabled"));
    unsetenv("ESIS_PASSWORD");
    db_close(db);
    unlink_db(path);
}

/* ---- history ---------------------------------------------------------- */

typedef struct seen {
    int entries, updates;
    char last_old[64], last_new[64], key[128], citizen[32];
} seen;

static int collect(const db_history_entry *e, void *ctx)
{
    seen *s = ctx;
    s->entries++;
    snprintf(s->key, sizeof s->key, "%s", e->row_key ? e->row_key : "");
    for (int i = 0; i < e->nchanges; i++) {
        const db_change *c = &e->changes[i];
        if (!strcmp(c->field, "citizen_id") && c->new_value)
            snprintf(s->citizen, sizeof s->citizen, "%s", c->new_value);
        if (!strcmp(e->action, "update") && !strcmp(c->field, "first_name")) {
            s->updates++;
            snprintf(s->last_old, sizeof s->last_old, "%s", c->old_value ? c->old_value : "");
            snprintf(s->last_new, sizeof s->last_new, "%s", c->new_value ? c->new_value : "");
        }
    }
    return 0;
}

static esis_record *student(const esis_table *t, const char *school, const char *id, const char *name)
{
    esis_record *r = record_new(t);
    record_set(r, "round_code", "2567-1");
    record_set(r, "school_code", school);
    record_set(r, "citizen_id", id);
    record_set(r, "first_name", name);
    return r;
}

static void test_history(void **state)
{
    (void)state;
    sqlite3 *db = open_fresh();
    esis_schema *s;
    char err[512];
    assert_int_equal(db_schema_load(db, &s, err, sizeof err), SQLITE_OK);
    const esis_table *t = schema_table(s, "students");
    db_session_set(db, &staff);
    assert_int_equal(auth_user_add(db, "nobody", "viewer", NULL, 0, NULL, NULL, NULL, err, sizeof err), -1);
    db_save_info info;
    esis_record *a = student(t, "1074000001", "1103702071811", "สมชาย");
    esis_record *b = student(t, "1074000002", "1103702071829", "มานี");
    assert_int_equal(db_record_save(db, a, false, &info), DB_SAVED);
    assert_int_equal(db_record_save(db, b, false, &info), DB_SAVED);
    record_set(a, "first_name", "สมชัย");
    assert_int_equal(db_record_save(db, a, false, &info), DB_SAVED);
    db_session_set(db, NULL);
    assert_int_equal(auth_user_add(db, "boss", "admin", NULL, 0, NULL, NULL, NULL, err, sizeof err), 0);

    /* The office: a record's history, oldest first, with the field split. */
    db_session_set(db, &staff);
    seen sn = { 0 };
    assert_int_equal(db_history_record(db, "students", a->id, collect, &sn, err, sizeof err), SQLITE_OK);
    assert_int_equal(sn.entries, 2);
    assert_int_equal(sn.updates, 1);
    assert_string_equal(sn.last_old, "สมชาย");
    assert_string_equal(sn.last_new, "สมชัย");
    assert_string_equal(sn.citizen, "1103702071811");
    memset(&sn, 0, sizeof sn);
    assert_int_equal(db_history_school(db, "1074000002", "2567-1", collect, &sn, err, sizeof err), SQLITE_OK);
    assert_int_equal(sn.entries, 1);

    /* A school officer of school 1: nothing of school 2, nothing of users. */
    char *mine[] = { "1074000001" };
    db_session school = { "school1", "test", "school", false, true, true, mine, 1 };
    db_session_set(db, &school);
    memset(&sn, 0, sizeof sn);
    assert_int_equal(db_history_school(db, "1074000002", NULL, collect, &sn, err, sizeof err), SQLITE_OK);
    assert_int_equal(sn.entries, 0);
    memset(&sn, 0, sizeof sn);
    db_history_filter users = { .table = "users" };
    assert_int_equal(db_history(db, &users, collect, &sn, err, sizeof err), SQLITE_OK);
    assert_int_equal(sn.entries, 0);
    memset(&sn, 0, sizeof sn);
    assert_int_equal(db_history(db, NULL, collect, &sn, err, sizeof err), SQLITE_OK);
    assert_int_equal(sn.entries, 3);  /* the school row itself, the insert and the update */

    /* A viewer: personal values and key parts masked. */
    db_session viewer = { "viewer1", "test", "viewer", true, false, false, NULL, 0 };
    db_session_set(db, &viewer);
    memset(&sn, 0, sizeof sn);
    assert_int_equal(db_history_record(db, "students", a->id, collect, &sn, err, sizeof err), SQLITE_OK);
    assert_int_equal(sn.entries, 2);
    assert_null(strstr(sn.citizen, "0207181"));
    assert_non_null(strchr(sn.citizen, 'x'));
    assert_null(strstr(sn.key, "0207181"));
    assert_non_null(strstr(sn.key, "2567-1/1074000001/"));
    /* Filters: by actor and by a date in the future. */
    db_session_set(db, &staff);
    memset(&sn, 0, sizeof sn);
    db_history_filter f = { .actor = "staff1", .table = "students" };
    assert_int_equal(db_history(db, &f, collect, &sn, err, sizeof err), SQLITE_OK);
    assert_int_equal(sn.entries, 3);
    memset(&sn, 0, sizeof sn);
    db_history_filter later = { .since = "2999-01-01" };
    assert_int_equal(db_history(db, &later, collect, &sn, err, sizeof err), SQLITE_OK);
    assert_int_equal(sn.entries, 0);

    record_free(a); record_free(b);
    schema_free(s);
    db_session_set(db, NULL);
    db_close(db);
    unlink_db(path);
}

/* ---- drafts ----------------------------------------------------------- */

static void test_drafts(void **state)
{
    (void)state;
    sqlite3 *db = open_fresh();
    sqlite3 *db2 = open_db();      /* a second session of the same user */
    sqlite3 *other = open_db();    /* another user */
    esis_schema *s;
    char err[512];
    assert_int_equal(db_schema_load(db, &s, err, sizeof err), SQLITE_OK);
    const esis_table *t = schema_table(s, "students");
    db_session alice = { "alice", "tui:students", "staff", true, true, true, NULL, 0 };
    db_session bob = { "bob", "tui:students", "staff", true, true, true, NULL, 0 };
    long long id = 0, id2 = 0;
    const char *cols[] = { "first_name", "last_name" }, *vals[] = { "สม\"ชาย\\", NULL };

    /* No user on the connection: refused. */
    assert_int_equal(db_draft_save(db, "students", "students", 0, 0, 2, cols, vals, NULL, DB_DRAFT_HANGUP,
                                   &id, err, sizeof err), -1);
    db_session_set(db, &alice);
    db_session_set(db2, &alice);
    db_session_set(other, &bob);
    assert_int_equal(db_draft_save(db, "students", "students", 0, 0, 2, cols, vals, "last_name", "nap",
                                   &id, err, sizeof err), -1);
    /* New records accumulate; an existing row keeps one draft per screen. */
    assert_int_equal(db_draft_save(db, "students", "students", 0, 0, 2, cols, vals, "last_name",
                                   DB_DRAFT_HANGUP, &id, err, sizeof err), 0);
    assert_int_equal(db_draft_save(db2, "students", "students", 0, 0, 1, cols, vals, NULL,
                                   DB_DRAFT_INTERRUPT, &id2, err, sizeof err), 0);
    esis_record *r = student(t, "1074000001", "1103702071811", "มาลี");
    r->id = 42;
    r->version = 3;
    assert_int_equal(db_draft_save_record(db, "students", r, "first_name", DB_DRAFT_TERMINATE, &id, err, sizeof err), 0);
    record_set(r, "first_name", "มาลัย");
    assert_int_equal(db_draft_save_record(db2, "students", r, "first_name", DB_DRAFT_HANGUP, &id, err, sizeof err), 0);

    /* Both sessions of alice see the same three drafts; bob sees none. */
    db_draft_entry *v = NULL;
    int n = 0;
    assert_int_equal(db_draft_list(db2, &v, &n, err, sizeof err), 0);
    assert_int_equal(n, 3);
    assert_int_equal(v[0].id, id);           /* newest first */
    db_draft_list_free(v, n);
    assert_int_equal(db_draft_list(other, &v, &n, err, sizeof err), 0);
    assert_int_equal(n, 0);
    db_draft_list_free(v, n);
    assert_null(db_draft_load(other, id, err, sizeof err));
    assert_int_equal(db_draft_delete(other, id, err, sizeof err), -1);

    /* Load splits the fields back, in order, and fills a record. */
    db_draft_entry *d = db_draft_load(db, id, err, sizeof err);
    assert_non_null(d);
    assert_int_equal(d->row_id, 42);
    assert_int_equal(d->row_version, 3);
    assert_string_equal(d->reason, "hangup");
    assert_string_equal(d->focus, "first_name");
    esis_record *back = record_new(t);
    assert_true(db_draft_to_record(d, back) >= 4);
    assert_string_equal(record_get(back, "first_name"), "มาลัย");
    assert_int_equal(back->id, 42);
    db_draft_free(d);
    d = db_draft_load(db, id2, err, sizeof err);
    assert_non_null(d);
    assert_int_equal(d->nfields, 1);
    assert_string_equal(d->values[0], "สม\"ชาย\\");
    db_draft_free(d);
    /* Null values survive as NULL. */
    assert_int_equal(db_draft_list(db, &v, &n, err, sizeof err), 0);
    d = db_draft_load(db, v[2].id, err, sizeof err);
    db_draft_list_free(v, n);
    assert_non_null(d);
    assert_int_equal(d->nfields, 2);
    assert_null(d->values[1]);
    db_draft_free(d);

    assert_int_equal(db_draft_delete(db2, id, err, sizeof err), 0);
    assert_int_equal(db_draft_delete(db, id, err, sizeof err), -1);
    assert_int_equal(db_query_int(db, 0, "SELECT count(*) FROM drafts", (const char *)NULL), 2);

    record_free(r); record_free(back);
    schema_free(s);
    db_session_set(db, NULL); db_session_set(db2, NULL); db_session_set(other, NULL);
    db_close(other); db_close(db2); db_close(db);
    unlink_db(path);
}

/* ---- restore ---------------------------------------------------------- */

static void test_restore(void **state)
{
    (void)state;
    sqlite3 *db = open_fresh();
    sqlite3 *reader = open_db();   /* someone else working meanwhile */
    char bak[300], err[512];
    snprintf(bak, sizeof bak, "%s.bak", path);
    unlink_db(bak);
    db_session_set(db, &admin);
    assert_int_equal(db_backup(db, bak, err, sizeof err), SQLITE_OK);
    exec_ok(db, "INSERT INTO schools(school_code, name_th, amphoe) VALUES ('1074000003','ใหม่','เมือง')");
    assert_int_equal(db_query_int(reader, 0, "SELECT count(*) FROM schools", (const char *)NULL), 3);

    /* A non-admin may not; a bad file is refused with the reason. */
    db_session_set(db, &staff);
    assert_int_not_equal(db_restore(db, bak, err, sizeof err), SQLITE_OK);
    assert_non_null(strstr(err, "administrator"));
    db_session_set(db, &admin);
    char junk[300];
    snprintf(junk, sizeof junk, "%s.junk", path);
    FILE *fp = fopen(junk, "wb");
    fputs("SQLite format 3 but not really", fp);
    fclose(fp);
    assert_int_not_equal(db_restore(db, junk, err, sizeof err), SQLITE_OK);
    assert_non_null(strstr(err, junk));
    unlink(junk);
    sqlite3 *plain = NULL;
    assert_int_equal(sqlite3_open(junk, &plain), SQLITE_OK);
    sqlite3_exec(plain, "CREATE TABLE t(x)", NULL, NULL, NULL);
    sqlite3_close(plain);
    assert_int_not_equal(db_restore(db, junk, err, sizeof err), SQLITE_OK);
    assert_non_null(strstr(err, "not an esis database"));
    unlink_db(junk);
    assert_int_equal(db_query_int(db, 0, "SELECT count(*) FROM schools", (const char *)NULL), 3);

    /* The restore: the other connection sees the restored data. */
    assert_int_equal(db_restore(db, bak, err, sizeof err), SQLITE_OK);
    assert_int_equal(db_query_int(reader, 0, "SELECT count(*) FROM schools", (const char *)NULL), 2);
    assert_int_equal(db_query_int(db, 0, "SELECT count(*) FROM audit WHERE action='restore' AND actor='boss'",
                                  (const char *)NULL), 1);
    /* The live database is still in WAL mode (the copy was not). */
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(reader, "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
    sqlite3_finalize(st);
    assert_int_equal(db_query_int(reader, 0, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check='ok'",
                                  (const char *)NULL), 1);
    db_session_set(db, NULL);
    db_close(reader);
    db_close(db);
    unlink_db(bak);
    unlink_db(path);
}

/* ---- privilege -------------------------------------------------------- */

/* In a child (root only): pretend to be a setgid binary (real 65534,
 * effective = saved = 4242), then walk the steps. */
static int privilege_steps(const char *esis_dir, const char *other_dir)
{
    char err[256];
    gid_t r, e, s;
    if (setresgid(65534, 4242, 4242) != 0) return 10;
    if (privilege_start(err, sizeof err) || getresgid(&r, &e, &s) || e != 65534 || s != 4242) return 11;
    if (!privilege_held()) return 12;
    char p[300];
    snprintf(p, sizeof p, "%s/esis.db", other_dir);
    if (privilege_db_enter(p, err, sizeof err) != 0 || getresgid(&r, &e, &s) || e != 65534) return 13;
    snprintf(p, sizeof p, "%s/esis.db", esis_dir);
    if (privilege_db_enter(p, err, sizeof err) != 1 || getresgid(&r, &e, &s) || e != 4242) return 14;
    if (privilege_drop(err, sizeof err) || getresgid(&r, &e, &s) || r != 65534 || e != 65534 || s != 65534) return 15;
    if (privilege_held()) return 16;
    if (privilege_db_enter(p, err, sizeof err) != 0 || getresgid(&r, &e, &s) || e != 65534) return 17;
    return 0;
}

static void test_privilege(void **state)
{
    (void)state;
    char err[256];
    /* Not setgid: all no-ops. */
    assert_int_equal(privilege_start(err, sizeof err), 0);
    assert_false(privilege_held());
    assert_int_equal(privilege_db_enter("/tmp/x.db", err, sizeof err), 0);
    assert_int_equal(privilege_drop(err, sizeof err), 0);
    if (geteuid() != 0) { fprintf(stderr, "test_privilege: not root, setgid steps skipped\n"); return; }
    char esis_dir[128], other_dir[128];
    snprintf(esis_dir, sizeof esis_dir, "/tmp/esis_priv_%d_a", (int)getpid());
    snprintf(other_dir, sizeof other_dir, "/tmp/esis_priv_%d_b", (int)getpid());
    assert_int_equal(mkdir(esis_dir, 02770), 0);
    assert_int_equal(mkdir(other_dir, 0755), 0);
    assert_int_equal(chown(esis_dir, 0, 4242), 0);
    pid_t pid = fork();
    if (pid == 0) _exit(privilege_steps(esis_dir, other_dir));
    int status = 0;
    waitpid(pid, &status, 0);
    rmdir(esis_dir);
    rmdir(other_dir);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

/* ---- failed passwords -------------------------------------------------- */

/* The password as --password-fd gives it: a pipe holding one line. */
static int password_pipe(const char *pw)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    assert_int_equal(write(fds[1], pw, strlen(pw)), (ssize_t)strlen(pw));
    close(fds[1]);
    return fds[0];
}

static auth_user *try_password(sqlite3 *db, const char *pw, char *err, size_t errsz)
{
    int fd = password_pipe(pw);
    /* A 1 ms delay unit: the same growth, without the test's seconds. */
    auth_login_opts o = { "shared", "test", fd, false, 1, NULL, NULL };
    auth_user *u = auth_login_with(db, &o, err, errsz);
    close(fd);
    return u;
}

typedef struct locked_seen { int failed; bool locked; } locked_seen;
static int find_shared(const auth_user_info *u, void *ctx)
{
    if (!strcmp(u->login, "shared")) {
        ((locked_seen *)ctx)->failed = u->failed_logins;
        ((locked_seen *)ctx)->locked = u->locked;
    }
    return 0;
}

static void test_password_lockout(void **state)
{
    (void)state;
    sqlite3 *db = open_fresh();
    char err[512];
    assert_int_equal(auth_user_add(db, "boss", "admin", NULL, 0, NULL, NULL, NULL, err, sizeof err), 0);
    assert_int_equal(auth_user_add(db, "shared", "staff", NULL, 0, NULL, "right-pass-1", NULL, err, sizeof err), 0);
    /* ESIS_PASSWORD is not read when the caller says so (a privileged esis). */
    setenv("ESIS_PASSWORD", "right-pass-1", 1);
    auth_login_opts no_env = { "shared", "test", -1, false, 1, NULL, NULL };
    assert_null(auth_login_with(db, &no_env, err, sizeof err));
    unsetenv("ESIS_PASSWORD");
    assert_int_equal(db_query_int(db, -1, "SELECT count(*) FROM login_failures", (const char *)NULL), 0);

    /* The delays grow: 1, 2, 4, 8 units, then the cap. */
    assert_int_equal(auth_failure_delay_ms(0, 1000), 0);
    assert_int_equal(auth_failure_delay_ms(1, 1000), 1000);
    assert_int_equal(auth_failure_delay_ms(4, 1000), 8000);
    assert_int_equal(auth_failure_delay_ms(40, 1000), AUTH_DELAY_MAX_MS);

    /* A right password from the descriptor works and leaves nothing. */
    auth_user *u = try_password(db, "right-pass-1\n", err, sizeof err);
    assert_non_null(u);
    auth_user_free(u);
    /* Wrong ones are counted, each by the Unix login that tried. */
    for (int i = 1; i < AUTH_MAX_FAILURES; i++) {
        assert_null(try_password(db, "guess\n", err, sizeof err));
        assert_non_null(strstr(err, "wrong password"));
        assert_int_equal(db_query_int(db, -1, "SELECT failures FROM login_failures WHERE login='shared'",
                                      (const char *)NULL), i);
    }
    /* A try within the delay waits for its end before it is checked
     * (failure 4 of unit 100 ms: 800 ms after the last one). */
    auth_failures f;
    assert_int_equal(auth_failures_get(db, "shared", &f), 0);
    assert_int_equal(f.failures, AUTH_MAX_FAILURES - 1);
    auth_login_opts slow = { "shared", "test", password_pipe("right-pass-1\n"), false, 100, NULL, NULL };
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    u = auth_login_with(db, &slow, err, sizeof err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    close(slow.password_fd);
    assert_non_null(u);
    auth_user_free(u);
    long long waited = (t1.tv_sec - t0.tv_sec) * 1000LL + (t1.tv_nsec - t0.tv_nsec) / 1000000;
    assert_true(waited >= 600 && waited < 5000);
    /* The right password after failures cleared them. */
    assert_int_equal(db_query_int(db, -1, "SELECT count(*) FROM login_failures", (const char *)NULL), 0);
    /* AUTH_MAX_FAILURES wrong ones lock it: then even the right one fails. */
    for (int i = 0; i < AUTH_MAX_FAILURES; i++) assert_null(try_password(db, "guess", err, sizeof err));
    assert_non_null(strstr(err, "trust.locked"));
    assert_null(try_password(db, "right-pass-1", err, sizeof err));
    assert_non_null(strstr(err, "trust.locked"));
    assert_int_equal(db_query_int(db, -1, "SELECT failures FROM login_failures WHERE login='shared'",
                                  (const char *)NULL), AUTH_MAX_FAILURES);
    /* The administrator sees it, in the list and in the audit, with who tried. */
    char *me = auth_unix_login();
    assert_int_equal(db_query_int(db, -1, "SELECT count(*) FROM audit WHERE table_name='login_failures'"
                                          " AND actor=?1 AND origin='test'", me, (const char *)NULL),
                     2 * AUTH_MAX_FAILURES);   /* 4 + the clear, then 5 */
    free(me);
    db_session_set(db, &admin);
    locked_seen seen = { 0, false };
    assert_int_equal(auth_user_list(db, find_shared, &seen, err, sizeof err), 0);
    assert_true(seen.locked);
    assert_int_equal(seen.failed, AUTH_MAX_FAILURES);
    /* Only an administrator unlocks. */
    db_session_set(db, &staff);
    assert_int_equal(auth_user_unlock(db, "shared", err, sizeof err), -1);
    db_session_set(db, &admin);
    assert_int_equal(auth_user_unlock(db, "shared", err, sizeof err), 0);
    assert_int_equal(auth_user_unlock(db, "shared", err, sizeof err), -1);
    db_session_set(db, NULL);
    u = try_password(db, "right-pass-1", err, sizeof err);
    assert_non_null(u);
    auth_user_free(u);
    db_close(db);
    unlink_db(path);
}

/* ---- an untrusted caller's environment ------------------------------- */

static int clean_environment_child(void)
{
    setenv("ESIS_HOME", "/tmp/evil", 1);
    setenv("ESIS_DB", "/tmp/evil.db", 1);
    setenv("ESIS_PASSWORD", "guess", 1);
    setenv("LD_PRELOAD", "/tmp/evil.so", 1);
    setenv("PATH", "/tmp/evil:/usr/bin", 1);
    setenv("TERM", "xterm-256color", 1);
    setenv("LANG", "th_TH.UTF-8", 1);
    setenv("LC_TIME", "../../tmp/evil", 1);
    setenv("TERMINFO", "/tmp/evil", 1);
    setenv("ESCDELAY", "1000", 1);
    setenv("LANGUAGE", "th:en", 1);
    setenv("ESIS_KEYLOG", "/tmp/evil.log", 1);
    /* where the settings files are: the system directory and the per-user
     * file's (include/esis/conf_where.h); HOME comes from the password
     * database, not from here */
    setenv("ESIS_SYSCONFDIR", "/tmp/evil", 1);
    setenv("XDG_CONFIG_HOME", "/tmp/evil", 1);
    setenv("HOME", "/tmp/evil", 1);
    char ignored[256];
    if (privilege_clean_environment(ignored, sizeof ignored) != 0) return 1;
    if (getenv("ESIS_HOME") || getenv("ESIS_DB") || getenv("ESIS_PASSWORD") || getenv("LD_PRELOAD")) return 2;
    if (getenv("TERMINFO") || getenv("LC_TIME")) return 3;
    if (!getenv("PATH") || strcmp(getenv("PATH"), "/usr/bin:/bin")) return 4;
    if (!getenv("TERM") || strcmp(getenv("TERM"), "xterm-256color")) return 5;
    if (!getenv("LANG") || strcmp(getenv("LANG"), "th_TH.UTF-8")) return 6;
    /* the key reader's wait and the language list stay; a log path does not */
    if (!getenv("ESCDELAY") || strcmp(getenv("ESCDELAY"), "1000")) return 9;
    if (!getenv("LANGUAGE") || strcmp(getenv("LANGUAGE"), "th:en")) return 10;
    if (getenv("ESIS_KEYLOG")) return 11;
    if (getenv("ESIS_SYSCONFDIR") || getenv("XDG_CONFIG_HOME")) return 12;
    if (getenv("HOME") && !strcmp(getenv("HOME"), "/tmp/evil")) return 13;
    if (!strstr(ignored, "ESIS_SYSCONFDIR")) return 14;
    if (!strstr(ignored, "ESIS_HOME") || !strstr(ignored, "ESIS_DB") || !strstr(ignored, "ESIS_PASSWORD")) return 7;
    if (strstr(ignored, "LD_PRELOAD")) return 8;   /* only esis's own are named */
    return 0;
}

/* root with a setgid-like split of ids is trusted (it has every right);
 * anyone else with it is not. */
static int untrusted_child(void)
{
    if (privilege_caller_untrusted()) return 1;         /* the test itself: root, or plain */
    if (getuid() != 0) return 0;
    if (setresgid(65534, 4242, 4242) != 0) return 2;
    if (privilege_caller_untrusted()) return 3;          /* still root */
    if (setresuid(65534, 65534, 65534) != 0) return 4;
    if (!privilege_caller_untrusted()) return 5;
    return 0;
}

static void test_untrusted_caller(void **state)
{
    (void)state;
    int (*const children[])(void) = { clean_environment_child, untrusted_child };
    for (size_t i = 0; i < sizeof children / sizeof *children; i++) {
        pid_t pid = fork();
        if (pid == 0) _exit(children[i]());
        int status = 0;
        waitpid(pid, &status, 0);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_user_management),
        cmocka_unit_test(test_login_refusals),
        cmocka_unit_test(test_history),
        cmocka_unit_test(test_drafts),
        cmocka_unit_test(test_restore),
        cmocka_unit_test(test_privilege),
        cmocka_unit_test(test_password_lockout),
        cmocka_unit_test(test_untrusted_caller),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Tests for the import pipeline and export: Thai aliases and every spelling
 * of gender, grade and date; every kind of bad row (rejects file and
 * quarantine); the auth gate; refused files; re-import updates rather than
 * duplicates; a failure or a signal mid-file leaves the database as it was;
 * export -> import -> export gives the same bytes.
 *
 * ESIS_TEST_HOME (default ".") is the directory holding conf/. */
#include "fixture.h"
#include "esis/app.h"
#include "esis/db.h"
#include "esis/io.h"
#include "esis/rounds.h"
#include "esis/strbuf.h"
#include "esis/ui_form.h"

#include <dirent.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <signal.h>
#include <unistd.h>

typedef struct fixture {
    char dir[64];
    char db[128];
    esis_app app;
} fixture;

static db_session office = { "staff1", "test", "staff", true, true, true, NULL, 0 };
static char *mine[] = { "1010720001" };
static db_session school = { "school1", "test", "school", false, true, false, mine, 1 };

static void app_make(esis_app *app, const char *path)
{
    if (fx_app_open(app, path, true) != 0) fail_msg("cannot open the test's application");
    db_session_set(app->db, &office);
    exec_ok(app->db, "INSERT INTO schools(school_code, name_th, amphoe) VALUES"
                     " ('1010720001', 'บ้านหนึ่ง', 'เมือง'), ('1010720002', 'บ้านสอง', 'เมือง')");
}


static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (fx_tmpdir(f->dir, sizeof f->dir, "io")) return -1;
    snprintf(f->db, sizeof f->db, "%s/t.db", f->dir);
    app_make(&f->app, f->db);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    app_close(&f->app);
    if (fx_rmtree(f->dir) != 0) return -1;
    free(f);
    return 0;
}

static long long count(sqlite3 *db, const char *sql)
{
    return db_query_int(db, -1, sql, NULL);
}

static char *text1(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    char *out = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
        sqlite3_column_text(st, 0))
        out = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return out;
}

static void expect_text(sqlite3 *db, const char *sql, const char *want)
{
    char *got = text1(db, sql);
    if (!got || strcmp(got, want)) fail_msg("%s: got '%s', want '%s'", sql, got ? got : "(null)", want);
    free(got);
}

static int import(fixture *f, const char *file, io_summary *s)
{
    char rej[200];
    snprintf(rej, sizeof rej, "%s/rejects.csv", f->dir);
    unlink(rej);
    return io_import(&f->app, "dmc", file, "2567-1", rej, s);
}

static void test_thai_file(void **state)
{
    fixture *f = *state;
    io_summary s;
    int rc = import(f, "tests/data/dmc_thai.csv", &s);
    if (rc != 0) {
        char cmd[4200];
        snprintf(cmd, sizeof cmd, "cat '%s' >&2", s.rejects_path);
        if (system(cmd) != 0) fprintf(stderr, "no rejects file\n");
        fail_msg("rc %d: %s", rc, s.message);
    }
    assert_int_equal(s.imported, 7);
    assert_int_equal(s.rejected, 0);
    assert_string_equal(s.rejects_path, "");
    assert_non_null(strstr(s.warning, "สีที่ชอบ"));
    sqlite3 *db = f->app.db;
    assert_int_equal(count(db, "SELECT count(*) FROM students WHERE round_code = '2567-1'"), 7);
    expect_text(db, "SELECT group_concat(gender, '') FROM (SELECT gender FROM students ORDER BY citizen_id)", "1212121");
    expect_text(db, "SELECT group_concat(grade, ' ') FROM (SELECT grade FROM students ORDER BY citizen_id)",
                "P3 P3 K1 K1 M2 M2 P3");
    expect_text(db, "SELECT birth_date FROM students WHERE citizen_id = '1103702000019'", "2016-01-15");
    expect_text(db, "SELECT birth_date FROM students WHERE citizen_id = '1103702000027'", "2016-02-20");
    expect_text(db, "SELECT prefix FROM students WHERE citizen_id = '1103702000019'", "เด็กชาย");
    expect_text(db, "SELECT last_name FROM students WHERE citizen_id = '1103702000027'", "ศรี, สุข");
    expect_text(db, "SELECT weight_kg FROM students WHERE citizen_id = '1103702000019'", "25.5");
    expect_text(db, "SELECT nationality FROM students WHERE citizen_id = '1103702000027'", "TH");
    expect_text(db, "SELECT first_name FROM students WHERE citizen_id = '1103702000078'",
                "'); DROP TABLE students;--");
    expect_text(db, "SELECT rows_imported || '/' || rows_read FROM imports", "7/7");
    expect_text(db, "SELECT updated_by FROM students LIMIT 1", "staff1");
    /* A bulk load: one audit row says who imported which file and how many
     * rows; each row carries who (updated_by) and when (created_at). */
    assert_true(count(db, "SELECT count(*) FROM audit WHERE table_name = 'students'") == 1);
    assert_true(count(db, "SELECT json_extract(new_values, '$.rows') FROM audit WHERE table_name = 'students'"
                          " AND action = 'bulk_insert' AND actor = 'staff1'") == 7);
}

static void test_reimport_updates(void **state)
{
    fixture *f = *state;
    io_summary s;
    assert_int_equal(import(f, "tests/data/dmc_thai.csv", &s), 0);
    long long audits = count(f->app.db, "SELECT count(*) FROM audit");
    assert_int_equal(import(f, "tests/data/dmc_thai.csv", &s), 0);
    assert_int_equal(s.imported, 7);
    sqlite3 *db = f->app.db;
    assert_int_equal(count(db, "SELECT count(*) FROM students"), 7);
    assert_int_equal(count(db, "SELECT max(row_version) FROM students"), 1);
    /* only the imports row itself is new: nothing changed, nothing audited */
    assert_int_equal(count(db, "SELECT count(*) FROM audit"), audits);

    char path[200];
    snprintf(path, sizeof path, "%s/changed.csv", f->dir);
    FILE *fp = fopen(path, "w");
    fputs("school_code,citizen_id,prefix,first_name,last_name,gender,birth_date,grade,room,nationality\n"
          "1010720001,1103702000019,ด.ช.,สมชาย,ใจงาม,1,15/01/2559,ป.3,2,ไทย\n", fp);
    fclose(fp);
    assert_int_equal(import(f, path, &s), 0);
    assert_int_equal(count(db, "SELECT count(*) FROM students"), 7);
    expect_text(db, "SELECT last_name || ' ' || room || ' ' || row_version FROM students"
                    " WHERE citizen_id = '1103702000019'", "ใจงาม 2 2");
    /* a column the file does not have is left alone */
    expect_text(db, "SELECT weight_kg FROM students WHERE citizen_id = '1103702000019'", "25.5");
}

/* Every student has its FTS row and its two sort keys, made from its
 * current values, and nothing else is in either index. */
static void expect_indexes_complete(sqlite3 *db)
{
    long long n = count(db, "SELECT count(*) FROM students");
    assert_true(n > 0);
    exec_ok(db, "INSERT INTO students_fts(students_fts) VALUES ('integrity-check')");
    assert_int_equal(count(db, "SELECT count(*) FROM students_fts_docsize"), n);
    assert_int_equal(count(db, "SELECT count(*) FROM students s WHERE NOT EXISTS (SELECT 1 FROM students_fts_docsize d"
                               " WHERE d.id = s.id)"), 0);
    assert_int_equal(count(db, "SELECT count(*) FROM sort_keys WHERE tbl = 'students'"), 2 * n);
    assert_int_equal(count(db, "SELECT count(*) FROM students s JOIN sort_keys k ON k.tbl = 'students'"
                               " AND k.col = 'last_name' AND k.row_id = s.id AND k.grp = s.round_code"
                               " AND k.key = thai_key(s.last_name)"), n);
    assert_int_equal(count(db, "SELECT count(*) FROM students s JOIN sort_keys k ON k.tbl = 'students'"
                               " AND k.col = 'first_name' AND k.row_id = s.id AND k.grp = s.round_code"
                               " AND k.key = thai_key(s.first_name)"), n);
    expect_student_counts(db);
}

static long long fts_hits(sqlite3 *db, const char *name)
{
    char sql[300];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM students_fts WHERE students_fts MATCH '\"%s\"'", name);
    return count(db, sql);
}

/* An import builds the FTS index and the sort keys of its new rows at its
 * end (db_index_defer/flush): afterwards they are exactly what the per-row
 * triggers make, for new rows, for rows it updates, and for a row the same
 * file inserts and then changes. */
static void test_indexes_complete(void **state)
{
    fixture *f = *state;
    sqlite3 *db = f->app.db;
    io_summary s;
    assert_int_equal(import(f, "tests/data/dmc_thai.csv", &s), 0);
    expect_indexes_complete(db);
    assert_int_equal(fts_hits(db, "ใจดี"), 1);

    char path[200];
    snprintf(path, sizeof path, "%s/more.csv", f->dir);
    FILE *fp = fopen(path, "w");
    fputs("school_code,citizen_id,prefix,first_name,last_name,gender,birth_date,grade,room,nationality\n"
          "1010720001,1103702000019,ด.ช.,สมชาย,ใจงาม,1,15/01/2559,ป.3,1,ไทย\n"
          "1010720001,1103702000108,ด.ช.,ปิติ,ทองคำ,1,15/01/2559,ป.3,1,ไทย\n"
          "1010720001,1103702000108,ด.ช.,ปิติ,เงินงาม,1,15/01/2559,ป.3,1,ไทย\n"
          "1010720002,1103702000116,ด.ญ.,ชูใจ,ใจดีมาก,2,15/01/2559,ป.3,1,ไทย\n", fp);
    fclose(fp);
    /* the key given twice (108) is a conflict: both rows rejected */
    assert_int_equal(import(f, path, &s), 3);
    assert_int_equal(s.imported, 2);
    assert_int_equal(s.rejected, 2);
    assert_int_equal(count(db, "SELECT count(*) FROM students"), 8);
    expect_indexes_complete(db);
    assert_int_equal(fts_hits(db, "ใจงาม"), 1);     /* an old row, renamed */
    assert_int_equal(fts_hits(db, "ใจดี"), 1);      /* its old name: only the new student ใจดีมาก */
    assert_int_equal(fts_hits(db, "ทองคำ"), 0);     /* the conflicting rows: neither */
    assert_int_equal(fts_hits(db, "เงินงาม"), 0);
    /* outside an import the triggers keep the indexes row by row again */
    exec_ok(db, "UPDATE students SET last_name = 'ทองแท้' WHERE citizen_id = '1103702000019'");
    exec_ok(db, "DELETE FROM students WHERE citizen_id = '1103702000116'");
    expect_indexes_complete(db);
    assert_int_equal(fts_hits(db, "ทองแท้"), 1);
    assert_int_equal(fts_hits(db, "ใจดี"), 0);
}

static void test_bad_rows(void **state)
{
    fixture *f = *state;
    sqlite3 *db = f->app.db;
    exec_ok(db, "INSERT INTO rounds(round_code, collection, academic_year, round_no, as_of, opens, closes, state)"
                " VALUES ('2567-1', 'dmc', 2567, 1, '2024-06-10', '2000-01-01', '2100-01-01', 'open')");
    db_session_set(db, &school);
    io_summary s;
    int rc = import(f, "tests/data/dmc_bad.csv", &s);
    db_session_set(db, &office);
    if (rc != 3) fail_msg("rc %d: %s", rc, s.message);
    assert_int_equal(s.rows, 8);
    assert_int_equal(s.imported, 1);
    assert_int_equal(s.rejected, 7);
    assert_int_equal(count(db, "SELECT count(*) FROM students"), 1);
    /* Quarantined: the officer's own school's rows.  Another school's row
     * (7) and the rows whose school cannot be read (8, 9) are only in the
     * rejects file the officer holds. */
    assert_int_equal(count(db, "SELECT count(*) FROM quarantine"), 4);
    expect_text(db, "SELECT group_concat(row_no, ' ') FROM quarantine", "3 4 5 6");
    assert_int_equal(count(db, "SELECT count(*) FROM quarantine WHERE school_code IS NOT '1010720001'"), 0);
    expect_text(db, "SELECT rows_rejected FROM imports", "7");

    char line[4096];
    char path[200];
    snprintf(path, sizeof path, "%s/rejects.csv", f->dir);
    assert_string_equal(s.rejects_path, path);
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    char *rows[16] = {0};
    int n = 0;
    while (n < 16 && fgets(line, sizeof line, fp)) rows[n++] = strdup(line);
    fclose(fp);
    assert_int_equal(n, 8);
    /* row, reasons and raw first, then the file's header: a ragged row's
     * extra cells stay to the right, under no heading */
    assert_string_equal(rows[0], "\xEF\xBB\xBF\"row\",\"reasons\",\"raw\",\"school_code\",\"citizen_id\","
                        "\"prefix\",\"first_name\",\"last_name\",\"gender\",\"birth_date\",\"grade\","
                        "\"room\",\"nationality\"\r\n");
    assert_non_null(strstr(rows[1], "\"3\",") && strstr(rows[1], "check digit"));
    assert_true(strncmp(rows[2], "\"4\",", 4) == 0);
    assert_non_null(strstr(rows[3], "31/02/2560") && strstr(rows[3], "not a date"));
    assert_non_null(strstr(rows[4], "unknown code 'ป.9'"));
    /* ... and what is accepted: codes in English, at most one line's worth */
    assert_non_null(strstr(rows[4], "accepted: pre-K (K0), K1, K2, K3, P1"));
    assert_non_null(strstr(rows[5], "1010720002 is not one of"));
    /* the stray quote: the line as read, whole, in raw */
    assert_non_null(strstr(rows[6], "CSV error at line 8, byte 15"));
    assert_non_null(strstr(rows[6], ",\"1010720001,\"\"x\"\"y,ด.ช.,ผิด,รูปแบบ,1,15/01/2559,ป.3,1,ไทย\","));
    assert_non_null(strstr(rows[7], "the row has 32 columns, the header 10"));
    assert_true(strncmp(rows[7], "\"9\",", 4) == 0);
    for (int i = 0; i < n; i++) free(rows[i]);
}

static void test_refused_files(void **state)
{
    fixture *f = *state;
    io_summary s;
    assert_int_equal(import(f, "tests/data/dmc_missing_column.csv", &s), 2);
    assert_non_null(strstr(s.message, "birth_date"));
    assert_int_equal(import(f, "tests/data/empty.csv", &s), 2);
    assert_int_equal(import(f, "tests/data/no-such-file.csv", &s), 2);
    assert_int_equal(io_import(&f->app, "nokind", "tests/data/empty.csv", "2567-1", NULL, &s), 2);
    assert_int_equal(count(f->app.db, "SELECT count(*) FROM imports"), 0);
    assert_int_equal(import(f, "tests/data/dmc_header_only.csv", &s), 0);
    assert_int_equal(s.imported, 0);
    assert_int_equal(count(f->app.db, "SELECT count(*) FROM students"), 0);
}

static void assert_unchanged(fixture *f, long long students, long long audits)
{
    sqlite3 *db = f->app.db;
    assert_int_equal(count(db, "SELECT count(*) FROM students"), students);
    assert_int_equal(count(db, "SELECT count(*) FROM audit"), audits);
    assert_int_equal(count(db, "SELECT count(*) FROM imports"), 1);
    assert_int_equal(count(db, "SELECT count(*) FROM quarantine"), 0);
    assert_true(sqlite3_get_autocommit(db));
}

/* A failure on the third row: nothing of the first two stays. */
static void test_failure_mid_file_rolls_back(void **state)
{
    fixture *f = *state;
    io_summary s;
    assert_int_equal(import(f, "tests/data/dmc_thai.csv", &s), 0);
    long long audits = count(f->app.db, "SELECT count(*) FROM audit");
    exec_ok(f->app.db, "CREATE TRIGGER fail_mid AFTER INSERT ON students"
                       " WHEN new.first_name = 'FAIL' BEGIN SELECT RAISE(ROLLBACK, 'simulated disk failure'); END");
    int rc = import(f, "tests/data/dmc_fail_mid.csv", &s);
    assert_int_equal(rc, 1);
    assert_non_null(strstr(s.message, "simulated disk failure"));
    assert_non_null(strstr(s.message, "unchanged"));
    assert_unchanged(f, 7, audits);
    exec_ok(f->app.db, "DROP TRIGGER fail_mid");
}

static void sql_raise_sigint(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc; (void)argv;
    raise(SIGINT);
    sqlite3_result_int(ctx, 0);
}

/* Ctrl-C during the import: rolled back, and the handler is restored. */
static void test_signal_rolls_back(void **state)
{
    fixture *f = *state;
    io_summary s;
    assert_int_equal(import(f, "tests/data/dmc_thai.csv", &s), 0);
    long long audits = count(f->app.db, "SELECT count(*) FROM audit");
    sqlite3_create_function(f->app.db, "test_sigint", 0, SQLITE_UTF8, NULL, sql_raise_sigint, NULL, NULL);
    exec_ok(f->app.db, "CREATE TRIGGER sig_mid AFTER INSERT ON students"
                       " WHEN new.first_name = 'สอง' BEGIN SELECT test_sigint(); END");
    assert_int_equal(import(f, "tests/data/dmc_fail_mid.csv", &s), 1);
    assert_non_null(strstr(s.message, "interrupted"));
    assert_unchanged(f, 7, audits);
    exec_ok(f->app.db, "DROP TRIGGER sig_mid");
    struct sigaction now;
    sigaction(SIGINT, NULL, &now);
    assert_true(now.sa_handler == SIG_DFL);
}

static char *export_to_string(esis_app *app, bool mask, size_t *len)
{
    char *buf = NULL;
    FILE *fp = open_memstream(&buf, len);
    long n = 0;
    io_export_opts opts = { mask, IO_CODES_LABELS };
    assert_int_equal(io_export(app, "dmc", "2567-1", NULL, &opts, fp, &n), 0);
    fclose(fp);
    return buf;
}

/* A citizen ID with its check digit (the 13th) right. */
static void citizen_id(char out[24], long n)
{
    snprintf(out, 24, "1%011ld", n % 100000000000L);
    int sum = 0;
    for (int i = 0; i < 12; i++) sum += (out[i] - '0') * (13 - i);
    out[12] = (char)('0' + (11 - sum % 11) % 10);
    out[13] = '\0';
}

/* What an import left: the students, the quarantine and the rejects file,
 * as one string (freed by the caller). */
static char *import_outcome(fixture *f)
{
    sqlite3 *db = f->app.db;
    char *st = text1(db, "SELECT group_concat(citizen_id || '|' || first_name || '|' || coalesce(grade, '')"
                         " || '|' || coalesce(status_note, ''), ';') FROM (SELECT * FROM students ORDER BY id)");
    char *q = text1(db, "SELECT group_concat(row_no || '|' || reasons || '|' || fields, ';')"
                        " FROM (SELECT * FROM quarantine ORDER BY id)");
    char path[200];
    snprintf(path, sizeof path, "%s/rejects.csv", f->dir);
    FILE *fp = fopen(path, "rb");
    char rej[1 << 16] = "";
    size_t n = fp ? fread(rej, 1, sizeof rej - 1, fp) : 0;
    rej[n] = '\0';
    if (fp) fclose(fp);
    size_t len = strlen(st ? st : "") + strlen(q ? q : "") + n + 8;
    char *out = malloc(len);
    snprintf(out, len, "%s\n%s\n%s", st ? st : "", q ? q : "", rej);
    free(st);
    free(q);
    return out;
}

/* The reader thread changes nothing but the time: a file of 2,000 rows
 * (the ring of 64 slots wraps many times; a row of 60 KB now and then has
 * its slot's buffer given back) with bad rows, a repeated key, an unknown
 * school and quoted line breaks gives the same students, quarantine,
 * rejects and counts with one thread and with two. */
static void write_many(const fixture *f, char path[200])
{
    snprintf(path, 200, "%s/many.csv", f->dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("school_code,citizen_id,prefix,first_name,last_name,gender,birth_date,grade,room,nationality,status_note\n", fp);
    static const char *names[] = { "สมชาย", "มาลี", "ก้อง", "ปิติ", "ชูใจ", "วีระ" };
    char *big = malloc(60001);
    assert_non_null(big);
    memset(big, 'x', 60000);
    big[60000] = '\0';
    for (long i = 0; i < 2000; i++) {
        char id[24];
        citizen_id(id, i % 997 == 5 ? 4 : i);              /* row 1002 repeats row 4's key */
        const char *school = i % 101 == 7 ? "1010799999" : "1010720001";
        const char *grade = i % 37 == 3 ? "ป.9" : "ป.3";  /* not a grade */
        fprintf(fp, "%s,%s,ด.ช.,%s,นามสกุล%ld,1,15/01/2559,%s,1,ไทย,%s\n", school, id, names[i % 6], i, grade,
                i % 250 == 11 ? big : i % 3 ? "" : "\"หมายเหตุ, สอง\nบรรทัด\"");
    }
    free(big);
    fclose(fp);
}

static void test_threads_same(void **state)
{
    fixture *f = *state;
    char path[200];
    io_summary one, two;
    write_many(f, path);
    setenv("ESIS_IMPORT_THREADS", "1", 1);
    assert_int_equal(import(f, path, &one), 3);
    char *a = import_outcome(f);
    /* a second database for the second run */
    assert_int_equal(teardown(state), 0);
    assert_int_equal(setup(state), 0);
    f = *state;
    write_many(f, path);
    setenv("ESIS_IMPORT_THREADS", "2", 1);
    assert_int_equal(import(f, path, &two), 3);
    unsetenv("ESIS_IMPORT_THREADS");
    char *b = import_outcome(f);
    assert_int_equal(one.rows, 2000);
    assert_int_equal(one.rows, two.rows);
    assert_int_equal(one.imported, two.imported);
    assert_int_equal(one.rejected, two.rejected);
    assert_int_equal(one.warned, two.warned);
    expect_student_counts(f->app.db);
    if (!(one.rejected > 60 && one.imported > 1800)) fail_msg("imported %ld rejected %ld: %.600s", one.imported, one.rejected, a);
    assert_string_equal(a, b);
    free(a);
    free(b);
}

static void test_export_round_trip(void **state)
{
    fixture *f = *state;
    io_summary s;
    assert_int_equal(import(f, "tests/data/dmc_thai.csv", &s), 0);
    size_t alen = 0, blen = 0;
    char *a = export_to_string(&f->app, false, &alen);
    assert_memory_equal(a, "\xEF\xBB\xBF\"school_code\",\"citizen_id\",\"prefix\"", 38);
    assert_non_null(strstr(a, "\"15/01/2559\""));
    assert_non_null(strstr(a, "\"ศรี, สุข\""));
    /* codes by their labels, in the language of the session (English here) */
    assert_non_null(strstr(a, "\r\n\"1010720001\",\"1103702000019\",\"Master\",\"สมชาย\""));

    char path[200], db2[200];
    snprintf(path, sizeof path, "%s/export.csv", f->dir);
    snprintf(db2, sizeof db2, "%s/second.db", f->dir);
    FILE *fp = fopen(path, "wb");
    fwrite(a, 1, alen, fp);
    fclose(fp);
    esis_app other;
    app_make(&other, db2);
    assert_int_equal(io_import(&other, "dmc", path, "2567-1", NULL, &s), 0);
    assert_int_equal(s.imported, 7);
    char *b = export_to_string(&other, false, &blen);
    assert_int_equal(alen, blen);
    assert_memory_equal(a, b, alen);
    app_close(&other);

    char *m = export_to_string(&f->app, true, &blen);
    assert_null(strstr(m, "1103702000019"));
    assert_non_null(strstr(m, "\"1xxxxxxxxxx19\""));
    assert_non_null(strstr(m, "\"xx/xx/2559\""));
    assert_non_null(strstr(m, "\"สมชาย\""));
    free(a);
    free(b);
    free(m);
}


/* ---- the property test: every importable kind ------------------------ */

typedef struct form_rows {
    esis_app *app;          /* where the form saves */
    const io_mapping *m;
    const esis_table *t;
    ui_form *form;
    const char *round;
    int year;
    bool header;
    int saved, failed;
} form_rows;

/* Each data row of the generated file typed into a form (the form's
 * normaliser, as a screen sets it up from the import mappings) and saved
 * through db_record_save. */
static int form_row(const io_csv_row *row, void *user)
{
    form_rows *fr = user;
    if (!fr->header) { fr->header = true; return 0; }
    esis_record *r = record_new(fr->t);
    assert_non_null(r);
    for (int c = 0; c < fr->m->ncols && c < row->nfields; c++) {
        char out[4096];
        ui_form_set_value(fr->form, c, row->fields[c]);
        if (!ui_form_value_db(fr->form, c, out, sizeof out)) {
            fprintf(stderr, "form refused %s = '%s'\n", fr->m->cols[c].name, row->fields[c]);
            fr->failed++;
        }
        record_set(r, fr->m->cols[c].column, out);
    }
    char year[16];
    snprintf(year, sizeof year, "%d", fr->year);
    if (fr->t->round_col >= 0) record_set_i(r, fr->t->round_col, fr->round);
    if (schema_col(fr->t, "academic_year") >= 0 && !record_get(r, "academic_year"))
        record_set(r, "academic_year", year);
    db_save_info info;
    if (db_record_save(fr->app->db, r, false, &info) == DB_SAVED) fr->saved++;
    else { fprintf(stderr, "form save: %s\n", info.message); fr->failed++; }
    record_free(r);
    return 0;
}

/* The same file through the form into a second database; then every
 * mapped column of every row equal in both. */
static void form_path_same(fixture *f, const char *kind, const char *csv, int n)
{
    char db2[200], err[512];
    snprintf(db2, sizeof db2, "%s/form-%s.db", f->dir, kind);
    esis_app app2;
    app_make(&app2, db2);
    assert_int_equal(rounds_ensure(app2.db, app2.conf, "2567-1", err, sizeof err), 0);
    io_mapping *m = io_mapping_load(app2.home, kind, err, sizeof err);
    assert_non_null(m);
    assert_int_equal(io_mapping_check(m, app2.schema, err, sizeof err), 0);
    const esis_table *t = schema_table(app2.schema, m->table);
    ui_field_desc *d = calloc((size_t)m->ncols, sizeof *d);
    norm_kind *kinds = calloc((size_t)t->ncols, sizeof *kinds);
    const conf_codelist **codes = calloc((size_t)t->ncols, sizeof *codes);
    assert_true(d && kinds && codes);
    assert_int_equal(io_table_norms(app2.home, app2.conf, t, kinds, codes), 0);
    for (int c = 0; c < m->ncols; c++) {
        norm_kind k = m->cols[c].norm;
        d[c] = (ui_field_desc){ m->cols[c].name, m->cols[c].column,
                                k == NORM_DATE ? UI_FIELD_DATE : k == NORM_INT || k == NORM_REAL ? UI_FIELD_NUMBER
                                : k == NORM_CODE ? UI_FIELD_CODE : UI_FIELD_TEXT,
                                20, 4000, false, NULL, 0, NULL, false };
    }
    ui_ctx ctx;
    ui_ctx_init(&ctx, NULL, NULL, false);
    form_rows fr = { &app2, m, t, ui_form_new(&ctx, kind, d, m->ncols, NULL, NULL, NULL), "2567-1", 2567,
                     false, 0, 0 };
    assert_non_null(fr.form);
    for (int c = 0; c < m->ncols; c++) {
        int col = schema_col(t, m->cols[c].column);
        ui_form_set_norm(fr.form, c, kinds[col], codes[col]);
    }
    FILE *fp = fopen(csv, "rb");
    assert_non_null(fp);
    assert_int_equal(io_csv_read(fp, csv, NULL, form_row, &fr, NULL, err, sizeof err), 0);
    fclose(fp);
    assert_int_equal(fr.failed, 0);
    assert_int_equal(fr.saved, n);
    /* the imported and the typed rows, column by column */
    char sql[8000];
    snprintf(sql, sizeof sql, "ATTACH '%s' AS typed", db2);
    exec_ok(f->app.db, sql);
    strbuf on = STRBUF_INIT;
    for (int k = 0; k < t->nkey; k++)
        strbuf_addf(&on, "%sa.\"%s\" IS b.\"%s\"", k ? " AND " : "", t->key_cols[k], t->key_cols[k]);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM main.\"%s\" a JOIN typed.\"%s\" b ON %s",
             t->name, t->name, strbuf_str(&on));
    assert_int_equal(count(f->app.db, sql), n + (strcmp(t->name, "schools") ? 0 : 2));
    for (int c = 0; c < m->ncols; c++) {
        snprintf(sql, sizeof sql, "SELECT count(*) FROM main.\"%s\" a JOIN typed.\"%s\" b ON %s"
                 " WHERE a.\"%s\" IS NOT b.\"%s\"", t->name, t->name, strbuf_str(&on),
                 m->cols[c].column, m->cols[c].column);
        long long diff = count(f->app.db, sql);
        if (diff) fail_msg("%s: %s differs between imported and typed in %lld rows", kind, m->cols[c].column, diff);
    }
    strbuf_free(&on);
    exec_ok(f->app.db, "DETACH typed");
    ui_form_free(fr.form);
    free(d);
    free(kinds);
    free(codes);
    io_mapping_free(m);
    app_close(&app2);
}

/* For every kind of conf/import: random valid records (Thai digits, inner
 * spaces, punctuation and marks in text; every spelling of numbers, dates
 * and codes), written by Python's csv module with what each must be
 * stored as; imported, exported, both compared field by field by
 * tests/prop_records.py; and the same file typed through the form's
 * normaliser compares equal to the import.  The record rules are off:
 * random values are valid values, not plausible records. */
static void test_property_every_kind(void **state)
{
    fixture *f = *state;
    rules_free(f->app.rules);
    f->app.rules = NULL;
    DIR *dir = opendir("conf/import");
    assert_non_null(dir);
    struct dirent *e;
    int kinds = 0;
    while ((e = readdir(dir)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".ini")) continue;
        char kind[64], csv[300], json[300], exp[300], rej[300], cmd[5000];
        snprintf(kind, sizeof kind, "%.*s", (int)(len - 4), e->d_name);
        /* each kind in a database of its own */
        char db[300];
        snprintf(db, sizeof db, "%s/prop-%s.db", f->dir, kind);
        app_close(&f->app);
        app_make(&f->app, db);
        rules_free(f->app.rules);
        f->app.rules = NULL;
        snprintf(csv, sizeof csv, "%s/%s.csv", f->dir, kind);
        snprintf(json, sizeof json, "%s/%s.json", f->dir, kind);
        snprintf(exp, sizeof exp, "%s/%s.export.csv", f->dir, kind);
        snprintf(rej, sizeof rej, "%s/%s.rejects.csv", f->dir, kind);
        const int n = 50;
        snprintf(cmd, sizeof cmd, "python3 tests/prop_records.py gen %s %d %d '%s' '%s' '%s'",
                 kind, 2567 + kinds, n, db, csv, json);
        assert_int_equal(system(cmd), 0);
        io_summary s;
        int rc = io_import(&f->app, kind, csv, "2567-1", rej, &s);
        if (rc != 0) {
            snprintf(cmd, sizeof cmd, "cat '%s' >&2", s.rejects_path);
            if (system(cmd) != 0) fprintf(stderr, "no rejects\n");
            fail_msg("%s: rc %d: %s", kind, rc, s.message);
        }
        assert_int_equal(s.inserted, n);
        FILE *fp = fopen(exp, "wb");
        assert_non_null(fp);
        long rows = 0;
        io_export_opts machine = { false, IO_CODES_MACHINE };   /* compared with the stored codes */
        assert_int_equal(io_export(&f->app, kind, "2567-1", NULL, &machine, fp, &rows), 0);
        fclose(fp);
        snprintf(cmd, sizeof cmd, "python3 tests/prop_records.py check %s '%s' '%s' '%s'", kind, db, exp, json);
        if (system(cmd) != 0) fail_msg("%s: stored or exported values differ (above)", kind);
        form_path_same(f, kind, csv, n);
        kinds++;
    }
    closedir(dir);
    assert_true(kinds >= 7);
}


/* ---- repeated keys, the rejects file, text as written, the audit ----- */

static const char DMC_HEADER[] =
    "school_code,citizen_id,prefix,first_name,last_name,gender,birth_date,grade,room,nationality\n";

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

/* The rows of a rejects file, parsed as CSV. */
typedef struct rej_rows {
    char *cell[16][40];
    int ncells[16];
    int n;
} rej_rows;

static int rej_row(const io_csv_row *row, void *user)
{
    rej_rows *r = user;
    assert_int_equal(row->status, IO_ROW_OK);
    assert_true(r->n < 16);
    for (int i = 0; i < row->nfields && i < 40; i++) r->cell[r->n][i] = strdup(row->fields[i]);
    r->ncells[r->n++] = row->nfields;
    return 0;
}

static void rej_read(const char *path, rej_rows *r)
{
    memset(r, 0, sizeof *r);
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    char err[256];
    assert_int_equal(io_csv_read(fp, path, NULL, rej_row, r, NULL, err, sizeof err), 0);
    fclose(fp);
}

static void rej_free(rej_rows *r)
{
    for (int i = 0; i < r->n; i++)
        for (int k = 0; k < r->ncells[i] && k < 40; k++) free(r->cell[i][k]);
}

/* The same child twice in one file: both rows rejected, each naming the
 * other's row; the key of an earlier file's record is an update, and the
 * summary counts new, updated and rejected rows and names the round. */
static void test_repeated_keys(void **state)
{
    fixture *f = *state;
    sqlite3 *db = f->app.db;
    char path[200];
    snprintf(path, sizeof path, "%s/twice.csv", f->dir);
    strbuf sb = STRBUF_INIT;
    strbuf_add(&sb, DMC_HEADER);
    strbuf_add(&sb, "1010720001,1103702000019,ด.ช.,สมชาย,ใจดี,1,15/01/2559,ป.3,1,ไทย\n"      /* 2 */
                    "1010720001,1103702000027,ด.ญ.,สมหญิง,ใจดี,2,15/01/2559,ป.3,1,ไทย\n"     /* 3 */
                    "1010720001,1-1037-02000-01-9,ด.ช.,สมชัย,ใจดี,1,15/01/2559,ป.3,1,ไทย\n" /* 4: 2's key */
                    "1010720002,1103702000019,ด.ช.,สมชาย,ใจดี,1,15/01/2559,ป.3,1,ไทย\n");    /* 5: another school */
    write_file(path, strbuf_str(&sb));
    io_summary s;
    assert_int_equal(import(f, path, &s), 3);
    assert_int_equal(s.rows, 4);
    assert_int_equal(s.inserted, 2);
    assert_int_equal(s.rejected, 2);
    assert_string_equal(s.round, "2567-1");
    assert_int_equal(count(db, "SELECT count(*) FROM students WHERE citizen_id = '1103702000019'"
                               " AND school_code = '1010720001'"), 0);
    assert_int_equal(count(db, "SELECT count(*) FROM students"), 2);
    rej_rows r;
    rej_read(s.rejects_path, &r);
    assert_int_equal(r.n, 3);
    assert_string_equal(r.cell[1][0], "2");
    assert_non_null(strstr(r.cell[1][1], "row 4 of this file"));
    assert_string_equal(r.cell[2][0], "4");
    assert_non_null(strstr(r.cell[2][1], "row 2 of this file"));
    assert_string_equal(r.cell[2][4], "1-1037-02000-01-9");   /* as written */
    rej_free(&r);
    assert_int_equal(count(db, "SELECT count(*) FROM quarantine"), 2);

    /* corrections from a later file: updates, counted as such */
    sb.len = 0;
    strbuf_reset(&sb);
    strbuf_add(&sb, DMC_HEADER);
    strbuf_add(&sb, "1010720001,1103702000027,ด.ญ.,สมหญิง,ใจงาม,2,15/01/2559,ป.3,1,ไทย\n"
                    "1010720002,1103702000019,ด.ช.,สมชาย,ใจดี,1,15/01/2559,ป.3,1,ไทย\n"
                    "1010720001,1103702000035,ด.ช.,มานะ,ใจดี,1,15/01/2559,ป.3,1,ไทย\n");
    write_file(path, strbuf_str(&sb));
    assert_int_equal(import(f, path, &s), 0);
    assert_int_equal(s.inserted, 1);
    assert_int_equal(s.updated, 1);
    assert_int_equal(s.unchanged, 1);
    assert_int_equal(s.rejected, 0);
    expect_text(db, "SELECT rows_new || '/' || rows_updated || '/' || rows_unchanged FROM imports"
                    " ORDER BY id DESC LIMIT 1", "1/1/1");
    char line[1200];
    io_summary_line(&f->app, &s, line, sizeof line);
    assert_non_null(strstr(line, "into round 2567-1: 1 new, 1 updated existing records, 1 unchanged"));
    strbuf_free(&sb);
}

/* The rejects file can be fixed and imported again: the header plus row,
 * reasons and raw; a ragged row's cells where they were; the line of a
 * stray quote whole; a line of separators skipped and counted; an earlier
 * run's file never overwritten. */
static void test_rejects_file(void **state)
{
    fixture *f = *state;
    char path[200], rej[200];
    snprintf(path, sizeof path, "%s/bad.csv", f->dir);
    snprintf(rej, sizeof rej, "%s/bad.rejects.csv", f->dir);
    strbuf sb = STRBUF_INIT;
    strbuf_add(&sb, DMC_HEADER);
    strbuf_add(&sb, "1010720001,1103702000019,ด.ช.,สมชาย,ใจดี,1,15/01/2559,ป.3,1,ไทย\n"          /* 2 ok */
                    ",,,,,,,,,\n"                                                                /* 3 blank */
                    "1010720001,1103702000027,ด.ญ.,สมหญิง,ใจดี,2,15/01/2559,ป.3,1,ไทย,เกิน,อีก\n" /* 4 ragged */
                    "1010720001,1103702000035,ด.ช.,มา\"นะ,ใจดี,1,15/01/2559,ป.3,1,ไทย\n"           /* 5 quote */
                    " , ,,,,,,,,\n"                                                              /* 6 blank */
                    "1010720001,1103702000043,ด.ช.,ชูใจ,ใจดี,1,15/01/2559,ป.3,1,ไทย,,\n");       /* 7 ok */
    write_file(path, strbuf_str(&sb));
    strbuf_free(&sb);
    io_summary s;
    unlink(rej);
    assert_int_equal(io_import(&f->app, "dmc", path, "2567-1", rej, &s), 3);
    assert_int_equal(s.blank, 2);
    assert_int_equal(s.rows, 4);
    assert_int_equal(s.imported, 2);
    assert_int_equal(s.rejected, 2);
    rej_rows r;
    rej_read(rej, &r);
    assert_int_equal(r.n, 3);
    assert_int_equal(r.ncells[0], 13);
    assert_string_equal(r.cell[0][0], "row");
    assert_string_equal(r.cell[0][1], "reasons");
    assert_string_equal(r.cell[0][2], "raw");
    assert_string_equal(r.cell[0][3], "school_code");
    assert_string_equal(r.cell[0][12], "nationality");
    /* the ragged row: every cell under its own heading, the extra two after */
    assert_string_equal(r.cell[1][0], "4");
    assert_int_equal(r.ncells[1], 15);
    assert_string_equal(r.cell[1][4], "1103702000027");
    assert_string_equal(r.cell[1][12], "ไทย");
    assert_string_equal(r.cell[1][13], "เกิน");
    assert_string_equal(r.cell[1][14], "อีก");
    /* the stray quote: the line as read */
    assert_string_equal(r.cell[2][0], "5");
    assert_string_equal(r.cell[2][2], "1010720001,1103702000035,ด.ช.,มา\"นะ,ใจดี,1,15/01/2559,ป.3,1,ไทย");
    rej_free(&r);

    /* a second run keeps the first file and says where this one went */
    FILE *fp = fopen(rej, "rb");
    char first[4096];
    size_t n1 = fread(first, 1, sizeof first, fp);
    fclose(fp);
    assert_int_equal(io_import(&f->app, "dmc", path, "2567-1", rej, &s), 3);
    assert_string_equal(s.rejects_replaced, rej);
    assert_string_not_equal(s.rejects_path, rej);
    assert_true(access(s.rejects_path, R_OK) == 0);
    fp = fopen(rej, "rb");
    char again[4096];
    size_t n2 = fread(again, 1, sizeof again, fp);
    fclose(fp);
    assert_true(n1 == n2 && memcmp(first, again, n1) == 0);
    char note[9000];
    io_rejects_note(&f->app, &s, note, sizeof note);
    assert_non_null(strstr(note, s.rejects_path));
}

/* Names and notes keep Thai digits, inner spaces and punctuation; the
 * numbers, codes, IDs and dates of the same row are normalised. */
static void test_text_as_written(void **state)
{
    fixture *f = *state;
    sqlite3 *db = f->app.db;
    char path[200];
    snprintf(path, sizeof path, "%s/text.csv", f->dir);
    write_file(path, "school_code,citizen_id,prefix,first_name,last_name,gender,birth_date,grade,room,"
                     "nationality,house_no,road\n"
                     "๑๐๑๐๗๒๐๐๐๑,๑-๑๐๓๗-๐๒๐๐๐-๐๑-๙,ด.ช.,๑ก  สมชาย,\"ใจดี, (ที่ ๒)\",ช,๑๕/๐๑/๒๕๕๙,ป.๓,๑,ไทย,๑๒/๓ ม.๔,ซอย ๕\n");
    io_summary s;
    int rc = import(f, path, &s);
    if (rc != 0) fail_msg("rc %d: %s", rc, s.message);
    expect_text(db, "SELECT first_name FROM students", "๑ก  สมชาย");
    expect_text(db, "SELECT last_name FROM students", "ใจดี, (ที่ ๒)");
    expect_text(db, "SELECT house_no || '|' || road FROM students", "๑๒/๓ ม.๔|ซอย ๕");
    expect_text(db, "SELECT school_code || '|' || citizen_id || '|' || birth_date || '|' || grade || '|' || room"
                    " || '|' || gender FROM students", "1010720001|1103702000019|2016-01-15|P3|1|1");
}

typedef struct hist {
    char *action[8], *actor[8], *origin[8];
    int n;
} hist;

static int hist_entry(const db_history_entry *e, void *ctx)
{
    hist *h = ctx;
    if (h->n < 8) {
        h->action[h->n] = strdup(e->action);
        h->actor[h->n] = strdup(e->actor);
        h->origin[h->n] = strdup(e->origin);
        h->n++;
    }
    return 0;
}

/* Each row an import inserts is traceable to it (import_rows: who, when,
 * which file), and each update is audited with its old values and the
 * import in its origin. */
static void test_import_audited_per_row(void **state)
{
    fixture *f = *state;
    sqlite3 *db = f->app.db;
    io_summary s;
    assert_int_equal(import(f, "tests/data/dmc_thai.csv", &s), 0);
    long first = s.import_id;
    assert_int_equal(count(db, "SELECT count(*) FROM students s WHERE NOT EXISTS (SELECT 1 FROM import_rows r"
                               " JOIN imports i ON i.id = r.import_id WHERE r.table_name = 'students'"
                               " AND s.id BETWEEN r.first_id AND r.last_id AND i.by_login = 'staff1')"), 0);
    assert_int_equal(count(db, "SELECT count(*) FROM import_rows"), 1);   /* one run: compact */
    char path[200];
    snprintf(path, sizeof path, "%s/fix.csv", f->dir);
    write_file(path, "school_code,citizen_id,prefix,first_name,last_name,gender,birth_date,grade,room,nationality\n"
                     "1010720001,1103702000019,ด.ช.,สมชาย,ใจงาม,1,15/01/2559,ป.3,1,ไทย\n");
    assert_int_equal(import(f, path, &s), 0);
    assert_int_equal(s.updated, 1);
    char sql[400];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM audit WHERE action = 'update' AND table_name = 'students'"
             " AND origin LIKE '%%import %ld' AND json_extract(old_values, '$.last_name') = 'ใจดี'"
             " AND json_extract(new_values, '$.last_name') = 'ใจงาม'", s.import_id);
    assert_int_equal(count(db, sql), 1);
    assert_true(s.import_id > first);
    /* the trail cannot be edited */
    assert_int_not_equal(sqlite3_exec(db, "DELETE FROM import_rows", NULL, NULL, NULL), SQLITE_OK);
    /* a record's history (esis audit --table --row, the TUI's history key)
     * starts with the import that made it, then the update */
    long long id = count(db, "SELECT id FROM students WHERE citizen_id = '1103702000019'");
    hist h = { 0 };
    char err[256];
    assert_int_equal(db_history_record(db, "students", id, hist_entry, &h,
                                       err, sizeof err), SQLITE_OK);
    assert_int_equal(h.n, 2);
    assert_string_equal(h.action[0], "import_insert");
    assert_string_equal(h.actor[0], "staff1");
    snprintf(sql, sizeof sql, "import %ld tests/data/dmc_thai.csv", first);
    assert_string_equal(h.origin[0], sql);
    assert_string_equal(h.action[1], "update");
    for (int i = 0; i < h.n; i++) { free(h.action[i]); free(h.actor[i]); free(h.origin[i]); }
}


/* A file given through a pipe (a FIFO, /dev/stdin) is read once into a
 * temporary file, so its repeated keys are found as in a file; so they are
 * in a file the light first pass leaves to the full reader (a stray
 * quote). */
static void test_pipe_repeated_keys(void **state)
{
    fixture *f = *state;
    char fifo[200];
    snprintf(fifo, sizeof fifo, "%s/in.fifo", f->dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        FILE *fp = fopen(fifo, "wb");
        if (!fp) _exit(1);
        fputs(DMC_HEADER, fp);
        fputs("1010720001,1103702000019,ด.ช.,สมชาย,ใจดี,1,15/01/2559,ป.3,1,ไทย\n"
              "1010720001,1103702000019,ด.ช.,สมชัย,ใจดี,1,15/01/2559,ป.3,1,ไทย\n"
              "1010720001,1103702000027,ด.ญ.,สมหญิง,ใจดี,2,15/01/2559,ป.3,1,ไทย\n"
              "1010720001,1103702000035,ด.ช.,มา\"นะ,ใจดี,1,15/01/2559,ป.3,1,ไทย\n", fp);
        fclose(fp);
        _exit(0);
    }
    io_summary s;
    int rc = import(f, fifo, &s);
    int st = 0;
    waitpid(pid, &st, 0);
    /* (the stray quote makes the first pass the full reader's) */
    assert_int_equal(rc, 3);
    assert_int_equal(s.inserted, 1);
    assert_int_equal(s.rejected, 3);
    assert_int_equal(count(f->app.db, "SELECT count(*) FROM students"), 1);
}

/* The progress hook (io_read_opts.progress): called every IO_PROGRESS_ROWS
 * data rows with the rows read so far, good and rejected alike, and never
 * for the header or a blank line. */
typedef struct progress_seen { long calls[8]; int n; } progress_seen;

static void progress_note(long rows, void *user)
{
    progress_seen *p = user;
    if (p->n < 8) p->calls[p->n] = rows;
    p->n++;
}

static void test_progress_hook(void **state)
{
    fixture *f = *state;
    char path[256], rej[256];
    snprintf(path, sizeof path, "%s/many.csv", f->dir);
    snprintf(rej, sizeof rej, "%s/many.rejects.csv", f->dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("school_code,citizen_id,prefix,first_name,last_name,gender,birth_date,grade,room,nationality\n", fp);
    long want = 2 * IO_PROGRESS_ROWS + 234;
    for (long i = 0; i < want; i++) {
        if (i == 10) fputs(",,,,,,,,,\n", fp);       /* blank: not a row */
        fprintf(fp, "1010720001,%013ld,ด.ช.,ก%ld,ข,1,01/05/2561,P1,1,TH\n", 1000000000000L + i, i);
    }
    fclose(fp);
    progress_seen seen = { {0}, 0 };
    io_read_opts opts = { .progress = progress_note, .progress_user = &seen };
    io_summary s;
    int rc = io_import_with(&f->app, "dmc", path, "2567-1", rej, &opts, &s);
    assert_true(rc == 0 || rc == 3);
    assert_int_equal(s.rows, want);
    assert_int_equal(s.blank, 1);
    assert_int_equal(seen.n, 2);
    assert_int_equal(seen.calls[0], IO_PROGRESS_ROWS);
    assert_int_equal(seen.calls[1], 2 * IO_PROGRESS_ROWS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_thai_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reimport_updates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_indexes_complete, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refused_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failure_mid_file_rolls_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_signal_rolls_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_export_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_threads_same, setup, teardown),
        cmocka_unit_test_setup_teardown(test_repeated_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rejects_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pipe_repeated_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(test_text_as_written, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_audited_per_row, setup, teardown),
        cmocka_unit_test_setup_teardown(test_property_every_kind, setup, teardown),
        cmocka_unit_test_setup_teardown(test_progress_hook, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_db_cursor: keyset paging over a generated table of 100,000 students
 * (one round) plus a small round with NULLs: pages contiguous and complete
 * both ways, ties broken by id, Thai order, descending, scope, filters,
 * search (FTS5 trigram and prefix), counts, anchors of deleted rows, flag
 * markers, and the time of the first and the last page. */
#include "fixture.h"
#include "esis/db.h"
#include "esis/db_cursor.h"
#include "esis/text.h"

#include <time.h>
#include <unistd.h>

enum { BIG = 100000, SMALL = 2000 };

static char path[256];
static sqlite3 *db;
static esis_schema *schema;

/* 100,000 students in 2567-1 with 2,500 surnames (ties on purpose) and
 * 2,000 in 2567-2 where road is NULL on every third row. */
static int setup(void **state)
{
    (void)state;
    fx_db_path(path, sizeof path, "cursor");
    char err[512];
    if (db_open(path, true, 5000, &db, err, sizeof err) != SQLITE_OK)
        return -1;
    exec_ok(db, "BEGIN;"
            "INSERT INTO schools(school_code, name_th, amphoe) VALUES"
            " ('1031000001','โรงเรียนบ้านสุ่ม','นางรอง'), ('1031000002','โรงเรียนวัดดอน','สตึก'),"
            " ('1031000003','โรงเรียนบ้านโคก','สตึก');"
            "INSERT INTO rounds(round_code, collection, academic_year, round_no, as_of, opens, closes, state)"
            " VALUES ('2567-1','dmc',2567,1,'2024-06-10','2000-01-01','2999-12-31','open'),"
            "        ('2567-2','dmc',2567,2,'2024-11-10','2000-01-01','2999-12-31','open');"
            "CREATE TEMP TABLE fn(i INTEGER PRIMARY KEY, v TEXT);"
            "INSERT INTO fn(v) VALUES ('สมชาย'),('ปิยะนุช'),('กมล'),('เกศินี'),('ขวัญใจ'),('ไพโรจน์'),"
            " ('แก้ว'),('ณัฐพล'),('อรอุมา'),('ธนากร');"
            "CREATE TEMP TABLE ln(i INTEGER PRIMARY KEY, v TEXT);"
            "INSERT INTO ln(v) VALUES ('ใจดี'),('แก้วมณี'),('กา'),('ก่า'),('ก้า'),('เกษม'),('ขาวสะอาด'),"
            " ('ทองดี'),('บุญมา'),('ศรีสุข'),('สุขใจ'),('โพธิ์ทอง'),('มั่นคง'),('รักไทย'),('วงศ์ใหญ่'),"
            " ('อินทร์แก้ว'),('ประเสริฐ'),('Smith'),('ดวงดี'),('เพชรรัตน์'),('นาคสวัสดิ์'),('พึ่งบุญ'),"
            " ('ยิ้มแย้ม'),('ชัยมงคล'),('ฤทธิ์เดช'),('หอมจันทร์'),('เลิศล้ำ'),('ไชยวงศ์'),('ฉิมพลี'),"
            " ('ฐานะ'),('ญาติดี'),('ฆ้องวง'),('งามยิ่ง'),('จันทร์เพ็ญ'),('ซื่อตรง'),('ฎีกา'),('ฏิมา'),"
            " ('ฑีฆาวุธ'),('ฒนา'),('ณรงค์'),('ดำรง'),('ตั้งใจ'),('ถาวร'),('ธรรมดี'),('นิลสุวรรณ'),"
            " ('บัวบาน'),('ปานทอง'),('ผ่องใส'),('ฝนทอง'),('ฟักทอง');"
            "WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 100000)"
            " INSERT INTO students(round_code, school_code, citizen_id, first_name, last_name, grade, room, road)"
            " SELECT '2567-1', '103100000' || (1 + n % 3), printf('%013d', n),"
            "  (SELECT v FROM fn WHERE i = 1 + n % 10),"
            "  (SELECT v FROM ln WHERE i = 1 + n % 50) || (SELECT v FROM ln WHERE i = 1 + (n / 50) % 50),"
            "  'P' || (1 + n % 6), 1 + n % 4, 'ถนน' || (n % 13) FROM g;"
            "WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 2000)"
            " INSERT INTO students(round_code, school_code, citizen_id, first_name, last_name, grade, room, road)"
            " SELECT '2567-2', '1031000001', printf('%013d', n),"
            "  (SELECT v FROM fn WHERE i = 1 + n % 10), (SELECT v FROM ln WHERE i = 1 + n % 50),"
            "  'P1', CASE WHEN n % 5 = 0 THEN NULL ELSE n % 7 END,"
            "  CASE WHEN n % 3 = 0 THEN NULL ELSE (SELECT v FROM ln WHERE i = 1 + n % 17) END FROM g;"
            "COMMIT;");
    return db_schema_load(db, &schema, err, sizeof err) == SQLITE_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    schema_free(schema);
    db_close(db);
    unlink(path);
    return 0;
}

static const char *const COLS[] = { "last_name", "first_name", "citizen_id", "room", "road" };
static const char *const SEARCH[] = { "citizen_id", "first_name", "last_name" };

static db_cursor *open_students(const char *round, const char *sort)
{
    db_cursor_def def = { "students", COLS, 5, sort, round, SEARCH, 3, "students_fts", NULL };
    char err[256];
    db_cursor *c = db_cursor_open(db, schema, &def, err, sizeof err);
    if (!c)
        fprintf(stderr, "%s\n", err);
    assert_non_null(c);
    return c;
}

/* Rows collected by a walk. */
typedef struct walk {
    long long *ids;
    char     **keys;      /* the sort column's text (for order checks) */
    int        n, cap;
    char       last_anchor[512], first_anchor[512];
    int        col;       /* which returned column is the sort column */
} walk;

static int collect(void *user, const db_cursor_row *row)
{
    walk *w = user;
    if (w->n == w->cap) {
        w->cap = w->cap ? w->cap * 2 : 1024;
        w->ids = realloc(w->ids, sizeof *w->ids * (size_t)w->cap);
        w->keys = realloc(w->keys, sizeof *w->keys * (size_t)w->cap);
    }
    w->ids[w->n] = row->id;
    w->keys[w->n] = row->values[w->col] ? strdup(row->values[w->col]) : NULL;
    w->n++;
    snprintf(w->last_anchor, sizeof w->last_anchor, "%s", row->anchor);
    return 0;
}

static void walk_free(walk *w)
{
    for (int i = 0; i < w->n; i++)
        free(w->keys[i]);
    free(w->ids);
    free(w->keys);
    memset(w, 0, sizeof *w);
}

/* Walk forward page by page; returns rows seen. */
static void walk_forward(db_cursor *c, int page, walk *w)
{
    int got = db_cursor_fetch(c, DB_PAGE_FIRST, NULL, page, collect, w);
    assert_true(got >= 0);
    while (got == page) {
        char a[512];
        snprintf(a, sizeof a, "%s", w->last_anchor);
        got = db_cursor_fetch(c, DB_PAGE_AFTER, a, page, collect, w);
        assert_true(got >= 0);
    }
}

/* First-anchor tracker for backward walks: pages arrive in display order,
 * so the first row of each page is the next anchor. */
typedef struct back {
    walk  *w;
    long long *page_ids;
    int    np;
    char   first[512];
} back;

static int collect_back(void *user, const db_cursor_row *row)
{
    back *b = user;
    if (b->np == 0)
        snprintf(b->first, sizeof b->first, "%s", row->anchor);
    b->page_ids[b->np++] = row->id;
    return 0;
}

static void walk_backward(db_cursor *c, int page, long long *out, int *n)
{
    long long *buf = malloc(sizeof *buf * (size_t)page);
    back b = { NULL, buf, 0, "" };
    *n = 0;
    int got = db_cursor_fetch(c, DB_PAGE_LAST, NULL, page, collect_back, &b);
    for (;;) {
        assert_true(got >= 0);
        /* prepend: out holds rows from the end backwards */
        for (int i = got - 1; i >= 0; i--)
            out[(*n)++] = buf[i];
        if (got < page)
            break;
        char a[512];
        snprintf(a, sizeof a, "%s", b.first);
        b.np = 0;
        got = db_cursor_fetch(c, DB_PAGE_BEFORE, a, page, collect_back, &b);
    }
    free(buf);
}

static void assert_thai_order(const walk *w, bool desc)
{
    for (int i = 1; i < w->n; i++) {
        const char *a = w->keys[i - 1], *b = w->keys[i];
        int r = (!a || !b) ? (a ? 1 : b ? -1 : 0)
                           : text_thai_collate(a, strlen(a), b, strlen(b));
        if (desc)
            r = -r;
        if (r > 0 || (r == 0 && (desc ? w->ids[i - 1] < w->ids[i] : w->ids[i - 1] > w->ids[i])))
            fail_msg("row %d out of order: '%s' #%lld then '%s' #%lld", i, a ? a : "NULL",
                     w->ids[i - 1], b ? b : "NULL", w->ids[i]);
    }
}

static int cmp_ll(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return x < y ? -1 : x > y;
}

static void assert_unique(const long long *ids, int n)
{
    long long *s = malloc(sizeof *s * (size_t)n);
    memcpy(s, ids, sizeof *s * (size_t)n);
    qsort(s, (size_t)n, sizeof *s, cmp_ll);
    for (int i = 1; i < n; i++)
        assert_true(s[i] != s[i - 1]);
    free(s);
}

static void test_walk_big_both_ways(void **state)
{
    (void)state;
    db_cursor *c = open_students("2567-1", "last_name");
    walk w = { .col = 0 };
    walk_forward(c, 500, &w);
    assert_int_equal(w.n, BIG);
    assert_unique(w.ids, w.n);
    assert_thai_order(&w, false);
    long long *back_ids = malloc(sizeof *back_ids * BIG);
    int nb = 0;
    walk_backward(c, 700, back_ids, &nb);
    assert_int_equal(nb, BIG);
    for (int i = 0; i < BIG; i++)
        assert_true(back_ids[i] == w.ids[BIG - 1 - i]);
    free(back_ids);
    walk_free(&w);
    db_cursor_free(c);
}

/* Every kind of sort over the small round, both directions, with NULLs. */
static void check_sort(const char *col, int colidx, bool desc)
{
    db_cursor *c = open_students("2567-2", "last_name");
    assert_int_equal(db_cursor_sort(c, col, desc), 0);
    walk w = { .col = colidx };
    walk_forward(c, 37, &w);
    assert_int_equal(w.n, SMALL);
    assert_unique(w.ids, w.n);
    if (colidx == 3) {          /* numbers: numerically, NULL first ascending */
        for (int i = 1; i < w.n; i++) {
            const char *a = w.keys[i - 1], *b = w.keys[i];
            long x = a ? atol(a) : -1, y = b ? atol(b) : -1;
            assert_true(desc ? x >= y : x <= y);
        }
    } else {
        assert_thai_order(&w, desc);
    }
    long long *back_ids = malloc(sizeof *back_ids * SMALL);
    int nb = 0;
    walk_backward(c, 41, back_ids, &nb);
    assert_int_equal(nb, SMALL);
    for (int i = 0; i < SMALL; i++)
        assert_true(back_ids[i] == w.ids[SMALL - 1 - i]);
    free(back_ids);
    walk_free(&w);
    db_cursor_free(c);
}

static void test_sorts_small(void **state)
{
    (void)state;
    check_sort("last_name", 0, false);   /* keyed */
    check_sort("last_name", 0, true);
    check_sort("first_name", 1, true);   /* keyed */
    check_sort("room", 3, false);        /* number with NULLs */
    check_sort("room", 3, true);
    check_sort("road", 4, false);        /* COLLATE thai with NULLs */
    check_sort("road", 4, true);
}

static void test_thai_order_exact(void **state)
{
    (void)state;
    /* the order the collation gives: leading vowels by their consonant,
     * tone marks after the bare syllable, Thai before Latin (ICU) */
    db_cursor *c = open_students("2567-2", "last_name");
    walk w = { .col = 0 };
    walk_forward(c, 1000, &w);
    const char *want[] = { "กา", "ก่า", "ก้า", "เกษม", "แก้วมณี", "ขาวสะอาด" };
    int k = 0;
    for (int i = 0; i < w.n && k < 6; i++)
        if (i == 0 || strcmp(w.keys[i], w.keys[i - 1]) != 0) {
            assert_string_equal(w.keys[i], want[k]);
            k++;
        }
    assert_int_equal(k, 6);
    assert_string_equal(w.keys[w.n - 1], "Smith");
    walk_free(&w);
    db_cursor_free(c);
}

static void test_scope_and_filters(void **state)
{
    (void)state;
    char *schools[] = { "1031000002" };
    db_session s = { "somsri", "test", "school", false, true, false, schools, 1 };
    db_session_set(db, &s);
    db_cursor *c = open_students("2567-1", "last_name");
    walk w = { .col = 2 };
    walk_forward(c, 1000, &w);
    long want = db_query_int(db, -1, "SELECT count(*) FROM students WHERE round_code = '2567-1'"
                                     " AND school_code = '1031000002'", (const char *)NULL);
    assert_int_equal(w.n, want);
    /* personal data masked for this session */
    assert_non_null(strchr(w.keys[0], 'x'));
    bool exact = false;
    assert_int_equal(db_cursor_count(c, &exact), want);
    assert_true(exact);
    walk_free(&w);
    /* a filter narrows further */
    assert_int_equal(db_cursor_filter(c, "grade", "P2"), 0);
    w.col = 0;
    walk_forward(c, 1000, &w);
    long want2 = db_query_int(db, -1, "SELECT count(*) FROM students WHERE round_code = '2567-1'"
                                      " AND school_code = '1031000002' AND grade = 'P2'", (const char *)NULL);
    assert_int_equal(w.n, want2);
    assert_true(want2 > 0 && want2 < want);
    walk_free(&w);
    assert_int_equal(db_cursor_filter(c, "grade", NULL), 0);
    assert_int_equal(db_cursor_nfilters(c), 0);
    assert_int_equal(db_cursor_filter(c, "no_such", "x"), -1);
    db_cursor_free(c);
    db_session_set(db, NULL);
}

/* count_from: the window counted from student_counts when that holds what
 * narrows it (seen by changing a count there), from the rows otherwise;
 * the same numbers either way. */
static void test_count_from(void **state)
{
    (void)state;
    db_cursor_def def = { "students", COLS, 5, "last_name", "2567-1", SEARCH, 3, "students_fts",
                          "student_counts" };
    char err[256];
    char *schools[] = { "1031000002" };
    db_session s = { "somsri", "test", "school", false, true, false, schools, 1 };
    db_session_set(db, &s);
    db_cursor *c = db_cursor_open(db, schema, &def, err, sizeof err);
    assert_non_null(c);
    bool exact = false;
    assert_int_equal(db_cursor_count(c, &exact),
                     db_query_int(db, -1, "SELECT count(*) FROM students WHERE round_code = '2567-1'"
                                          " AND school_code = '1031000002'", (const char *)NULL));
    assert_true(exact);
    assert_int_equal(db_cursor_filter(c, "grade", "P2"), 0);
    assert_int_equal(db_cursor_filter(c, "status", "1"), 0);
    long want = db_query_int(db, -1, "SELECT count(*) FROM students WHERE round_code = '2567-1'"
                                     " AND school_code = '1031000002' AND grade = 'P2' AND status = '1'",
                             (const char *)NULL);
    assert_true(want > 0);
    assert_int_equal(db_cursor_count(c, &exact), want);
    /* read from the counts: a count changed there shows */
    exec_ok(db, "SAVEPOINT t; UPDATE student_counts SET n = n + 1000 WHERE round_code = '2567-1'"
                " AND school_code = '1031000002' AND grade = 'P2' AND status = '1' AND poor = 0");
    assert_int_equal(db_cursor_filter(c, "grade", "P2"), 0);   /* a new narrowing: counted again */
    assert_int_equal(db_cursor_count(c, &exact), want + 1000);
    /* a filter the counts do not hold, and a search, count the rows */
    assert_int_equal(db_cursor_filter(c, "room", "1"), 0);
    assert_int_equal(db_cursor_count(c, &exact),
                     db_query_int(db, -1, "SELECT count(*) FROM students WHERE round_code = '2567-1'"
                                          " AND school_code = '1031000002' AND grade = 'P2' AND status = '1'"
                                          " AND room = '1'", (const char *)NULL));
    assert_int_equal(db_cursor_filter(c, "room", NULL), 0);
    assert_int_equal(db_cursor_search(c, "1031"), 0);
    long n = db_cursor_count(c, &exact);
    assert_true(n >= 0 && n <= want);
    exec_ok(db, "ROLLBACK TO t; RELEASE t");
    db_cursor_free(c);
    db_session_set(db, NULL);
    /* a table that is not one of counts */
    def.count_from = "schools";
    assert_null(db_cursor_open(db, schema, &def, err, sizeof err));
    assert_non_null(strstr(err, "no column n"));
    def.count_from = "no_such_table";
    assert_null(db_cursor_open(db, schema, &def, err, sizeof err));
    assert_non_null(strstr(err, "no table 'no_such_table'"));
}

/* Issue 16 (6): the count is kept for the same narrowing, so after a save
 * or a delete the list showed the count from before (~49421 beside a
 * database of 49,422).  db_cursor_recount makes the next count the
 * database's, with and without a counts table. */
static void test_recount_after_change(void **state)
{
    (void)state;
    for (int with_counts = 0; with_counts < 2; with_counts++) {
        db_cursor_def def = { "students", COLS, 5, "last_name", "2567-1", SEARCH, 3,
                              "students_fts", with_counts ? "student_counts" : NULL };
        char err[256];
        db_cursor *c = db_cursor_open(db, schema, &def, err, sizeof err);
        assert_non_null(c);
        bool exact = false;
        const char *sql = "SELECT count(*) FROM students WHERE round_code = '2567-1'";
        long before = db_query_int(db, -1, sql, (const char *)NULL);
        assert_int_equal(db_cursor_count(c, &exact), before);
        exec_ok(db, "SAVEPOINT t; DELETE FROM students WHERE rowid ="
                    " (SELECT min(rowid) FROM students WHERE round_code = '2567-1')");
        long after = db_query_int(db, -1, sql, (const char *)NULL);
        assert_int_equal(after, before - 1);
        db_cursor_recount(c);
        assert_int_equal(db_cursor_count(c, &exact), after);
        assert_true(exact);
        exec_ok(db, "ROLLBACK TO t; RELEASE t");
        db_cursor_free(c);
    }
}

static int count_rows(db_cursor *c)
{
    walk w = { .col = 0 };
    walk_forward(c, 1000, &w);
    int n = w.n;
    walk_free(&w);
    return n;
}

static void test_search(void **state)
{
    (void)state;
    db_cursor *c = open_students("2567-1", "last_name");
    /* substring through the trigram index: "ทองดี" is in 2 x 2,000 surnames
     * as prefix or suffix ("ทองดีใจดี", "ใจดีทองดี") and inside "โพธิ์ทองดี"-like
     * joins; compare with LIKE */
    assert_int_equal(db_cursor_search(c, "ทองดี"), 0);
    long want = db_query_int(db, -1, "SELECT count(*) FROM students WHERE round_code = '2567-1' AND"
                                     " (first_name LIKE '%ทองดี%' OR last_name LIKE '%ทองดี%')",
                             (const char *)NULL);
    assert_true(want > 0);
    assert_int_equal(count_rows(c), want);
    /* a prefix of two characters: LIKE 'กา%' on the search columns */
    assert_int_equal(db_cursor_search(c, "กา"), 0);
    want = db_query_int(db, -1, "SELECT count(*) FROM students WHERE round_code = '2567-1' AND"
                                " (first_name LIKE 'กา%' OR last_name LIKE 'กา%' OR citizen_id LIKE 'กา%')",
                        (const char *)NULL);
    assert_true(want > 0);
    assert_int_equal(count_rows(c), want);
    /* an ID typed in full */
    assert_int_equal(db_cursor_search(c, "0000000012345"), 0);
    assert_int_equal(count_rows(c), 1);
    /* quotes and wildcards are text, not syntax */
    assert_int_equal(db_cursor_search(c, "a\"b%"), 0);
    assert_int_equal(count_rows(c), 0);
    assert_int_equal(db_cursor_search(c, "_"), 0);
    assert_int_equal(count_rows(c), 0);
    /* capped count while searching a common trigram */
    assert_int_equal(db_cursor_search(c, "ใจดี"), 0);
    bool exact = true;
    long n = db_cursor_count(c, &exact);
    assert_true(n > 0);
    assert_int_equal(db_cursor_search(c, ""), 0);
    n = db_cursor_count(c, &exact);
    assert_int_equal(n, BIG);
    assert_true(exact);
    db_cursor_free(c);
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static void test_first_last_fast(void **state)
{
    (void)state;
    double t0 = now_ms();
    db_cursor *c = open_students("2567-1", "last_name");
    walk w = { .col = 0 };
    assert_int_equal(db_cursor_fetch(c, DB_PAGE_FIRST, NULL, 20, collect, &w), 20);
    double t1 = now_ms();
    assert_int_equal(db_cursor_fetch(c, DB_PAGE_LAST, NULL, 20, collect, &w), 20);
    double t2 = now_ms();
    assert_true(t1 - t0 < 100);
    assert_true(t2 - t1 < 100);
    walk_free(&w);
    db_cursor_free(c);
}

static void test_anchor_of_deleted_row(void **state)
{
    (void)state;
    db_cursor *c = open_students("2567-2", "last_name");
    walk w = { .col = 0 };
    assert_int_equal(db_cursor_fetch(c, DB_PAGE_FIRST, NULL, 10, collect, &w), 10);
    /* anchor the 5th row, delete it, AT gives the 6th */
    walk w2 = { .col = 0 };
    char a5[512];
    db_cursor_fetch(c, DB_PAGE_FIRST, NULL, 5, collect, &w2);
    snprintf(a5, sizeof a5, "%s", w2.last_anchor);
    char sql[128];
    snprintf(sql, sizeof sql, "DELETE FROM students WHERE id = %lld", w.ids[4]);
    exec_ok(db, sql);
    walk w3 = { .col = 0 };
    assert_int_equal(db_cursor_fetch(c, DB_PAGE_AT, a5, 3, collect, &w3), 3);
    assert_true(w3.ids[0] == w.ids[5]);
    assert_int_equal(db_cursor_fetch(c, DB_PAGE_AT, "garbage", 3, collect, &w3), -1);
    assert_true(*db_cursor_error(c) != '\0');
    walk_free(&w);
    walk_free(&w2);
    walk_free(&w3);
    db_cursor_free(c);
}

static void test_views_and_errors(void **state)
{
    (void)state;
    const char *cols[] = { "school_code", "name_th", "state", "students" };
    db_cursor_def def = { "submission_overview", cols, 4, "name_th", "2567-1", NULL, 0, NULL, NULL };
    char err[256];
    db_cursor *c = db_cursor_open(db, schema, &def, err, sizeof err);
    assert_non_null(c);
    walk w = { .col = 1 };
    walk_forward(c, 2, &w);
    assert_int_equal(w.n, 3);
    assert_string_equal(w.keys[0], "โรงเรียนบ้านโคก");
    assert_true(w.ids[0] == 0);
    walk_free(&w);
    db_cursor_free(c);
    def.sort = "nope";
    assert_null(db_cursor_open(db, schema, &def, err, sizeof err));
    assert_non_null(strstr(err, "nope"));
    def.table = "nothing";
    assert_null(db_cursor_open(db, schema, &def, err, sizeof err));
}

static void test_flag_marks(void **state)
{
    (void)state;
    exec_ok(db, "INSERT INTO flags(table_name, row_id, rule_id, severity) VALUES"
            " ('students', 3, 'x', 'warning'), ('students', 3, 'y', 'error'),"
            " ('students', 4, 'z', 'warning'), ('staff', 5, 'z', 'error')");
    long long ids[] = { 3, 4, 5 };
    char marks[3];
    assert_int_equal(db_flags_marks(db, "students", ids, 3, marks), 0);
    assert_int_equal(marks[0], '!');
    assert_int_equal(marks[1], '?');
    assert_int_equal(marks[2], ' ');
}

static void test_sortkey_follows_updates(void **state)
{
    (void)state;
    /* a renamed student moves in the order; the keys follow the round */
    exec_ok(db, "UPDATE students SET last_name = 'Zwart' WHERE id = 100010");
    db_cursor *c = open_students("2567-2", "last_name");
    walk w = { .col = 0 };
    db_cursor_fetch(c, DB_PAGE_LAST, NULL, 1, collect, &w);
    assert_string_equal(w.keys[0], "Zwart");
    walk_free(&w);
    db_cursor_free(c);
    assert_int_equal(db_query_int(db, -1, "SELECT count(*) FROM sort_keys WHERE row_id = 100010",
                                  (const char *)NULL), 2);
    exec_ok(db, "UPDATE students SET round_code = '2567-1' WHERE id = 100010");
    assert_int_equal(db_query_int(db, -1, "SELECT count(*) FROM sort_keys WHERE row_id = 100010"
                                          " AND grp = '2567-1'", (const char *)NULL), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_walk_big_both_ways),
        cmocka_unit_test(test_sorts_small),
        cmocka_unit_test(test_thai_order_exact),
        cmocka_unit_test(test_scope_and_filters),
        cmocka_unit_test(test_count_from),
        cmocka_unit_test(test_recount_after_change),
        cmocka_unit_test(test_search),
        cmocka_unit_test(test_first_last_fast),
        cmocka_unit_test(test_anchor_of_deleted_row),
        cmocka_unit_test(test_views_and_errors),
        cmocka_unit_test(test_flag_marks),
        cmocka_unit_test(test_sortkey_follows_updates),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

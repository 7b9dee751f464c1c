/* test_collate_icu: esis's Thai order against ICU's, on a real database.
 *
 * Several thousand strings (Thai names with tone marks and leading vowels,
 * Latin names, ASCII and Thai digits, mixes: tests/collate_icu.py gen) are
 * stored as school names and students' names; the order of
 * ORDER BY name COLLATE thai, the order of the stored keys (sort_keys, what
 * every list pages through) and qsort with text_thai_collate must be one
 * order, and ICU's Collator for th_TH (PyICU, python3-icu; collate_icu.py
 * check) must agree with every neighbouring pair of it, but for the
 * documented classes of difference that the script prints.  Then migration
 * 19 is run over keys made stale on purpose and must make every key again. */
#include "testutil.h"
#include "esis/db.h"
#include "esis/text.h"
#include "../src/db/db_internal.h"   /* the migration list: step 19 run on its own */

#include <sys/wait.h>

enum { NWORDS = 4000, NSTUDENTS = 1500 };

static char dir[128], words_path[192], sorted_path[192], db_path[192];
static const char *python;
static char **words;
static int nwords;

/* python3 with PyICU: the one on PATH, else Debian's (a pyenv or venv
 * python3 may not see Debian's python3-icu). */
static const char *python_with_icu(void)
{
    if (system("python3 -c 'import icu' 2>/dev/null") == 0) return "python3";
    if (system("/usr/bin/python3 -c 'import icu' 2>/dev/null") == 0) return "/usr/bin/python3";
    return NULL;
}

static int run(const char *cmd)
{
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int load_words(void)
{
    FILE *f = fopen(words_path, "r");
    if (!f) return -1;
    char line[4096];
    words = calloc(NWORDS + 64, sizeof *words);
    while (words && fgets(line, sizeof line, f) && nwords < NWORDS + 64) {
        line[strcspn(line, "\n")] = '\0';
        words[nwords++] = strdup(line);
    }
    fclose(f);
    return words && nwords >= NWORDS ? 0 : -1;
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/esis_collate_icu_%d", (int)getpid());
    snprintf(words_path, sizeof words_path, "%s/words.txt", dir);
    snprintf(sorted_path, sizeof sorted_path, "%s/sorted.txt", dir);
    snprintf(db_path, sizeof db_path, "%s/t.db", dir);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s'", dir, dir);
    if (run(cmd) != 0) return -1;
    python = python_with_icu();
    if (!python) {
        fprintf(stderr, "test_collate_icu: no python3 with PyICU (Debian's python3-icu, .ci/deps)\n");
        return -1;
    }
    snprintf(cmd, sizeof cmd, "%s tests/collate_icu.py gen 2569 %d > '%s'", python, NWORDS, words_path);
    if (run(cmd) != 0 || load_words() != 0) return -1;

    sqlite3 *db = NULL;
    char err[512];
    if (db_open(db_path, true, 5000, &db, err, sizeof err) != SQLITE_OK) return -1;
    if (db_exec(db, "BEGIN;"
            "INSERT INTO rounds(round_code, collection, academic_year, round_no, as_of, opens, closes, state)"
            " VALUES ('2569-1','dmc',2569,1,'2026-06-10','2000-01-01','2999-12-31','open');",
                err, sizeof err) != SQLITE_OK)
        return -1;
    sqlite3_stmt *sch = NULL, *stu = NULL;
    int rc = sqlite3_prepare_v2(db, "INSERT INTO schools(school_code, name_th, amphoe)"
                                " VALUES (printf('%010d', ?1), ?2, 'x')", -1, &sch, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(db, "INSERT INTO students(round_code, school_code, citizen_id,"
                                " first_name, last_name) VALUES ('2569-1', printf('%010d', 1),"
                                " printf('%013d', ?1), ?2, ?3)", -1, &stu, NULL);
    for (int i = 0; rc == SQLITE_OK && i < nwords; i++) {
        sqlite3_bind_int(sch, 1, i + 1);
        sqlite3_bind_text(sch, 2, words[i], -1, SQLITE_STATIC);
        rc = sqlite3_step(sch) == SQLITE_DONE ? sqlite3_reset(sch) : SQLITE_ERROR;
        if (rc == SQLITE_OK && i < NSTUDENTS) {
            sqlite3_bind_int(stu, 1, i + 1);
            sqlite3_bind_text(stu, 2, words[(i * 7) % nwords], -1, SQLITE_STATIC);
            sqlite3_bind_text(stu, 3, words[i], -1, SQLITE_STATIC);
            rc = sqlite3_step(stu) == SQLITE_DONE ? sqlite3_reset(stu) : SQLITE_ERROR;
        }
    }
    if (rc != SQLITE_OK) fprintf(stderr, "test_collate_icu: %s\n", sqlite3_errmsg(db));
    sqlite3_finalize(sch);
    sqlite3_finalize(stu);
    if (rc == SQLITE_OK) rc = db_exec(db, "COMMIT", err, sizeof err);
    db_close(db);
    return rc == SQLITE_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    for (int i = 0; i < nwords; i++) free(words[i]);
    free(words);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return run(cmd) == 0 ? 0 : -1;
}

/* The strings of one query's first column, in its order. */
static char **query_list(sqlite3 *db, const char *sql, int *n)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    char **v = calloc((size_t)nwords + 1, sizeof *v);
    assert_non_null(v);
    *n = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        assert_true(*n < nwords);
        v[(*n)++] = strdup((const char *)sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    return v;
}

static void list_free(char **v, int n)
{
    for (int i = 0; i < n; i++) free(v[i]);
    free(v);
}

static int by_thai(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    return text_thai_collate(x, strlen(x), y, strlen(y));
}

/* COLLATE thai, the stored keys and qsort give one order; ICU agrees. */
static void test_order_is_icu_order(void **state)
{
    (void)state;
    sqlite3 *db = NULL;
    char err[512];
    assert_int_equal(db_open(db_path, false, 5000, &db, err, sizeof err), SQLITE_OK);
    int na = 0, nb = 0, nc = 0;
    char **by_collate = query_list(db, "SELECT name_th FROM schools ORDER BY name_th COLLATE thai", &na);
    char **by_keys = query_list(db, "SELECT s.name_th FROM sort_keys k JOIN schools s ON s.id = k.row_id"
                                    " WHERE k.tbl = 'schools' AND k.col = 'name_th' ORDER BY k.key", &nb);
    char **by_students = query_list(db, "SELECT s.last_name FROM sort_keys k JOIN students s ON s.id = k.row_id"
                                        " WHERE k.tbl = 'students' AND k.col = 'last_name'"
                                        " AND k.grp = '2569-1' ORDER BY k.key", &nc);
    db_close(db);
    assert_int_equal(na, nwords);
    assert_int_equal(nb, nwords);
    assert_int_equal(nc, NSTUDENTS);
    char **mem = malloc((size_t)nwords * sizeof *mem);
    assert_non_null(mem);
    memcpy(mem, words, (size_t)nwords * sizeof *mem);
    qsort(mem, (size_t)nwords, sizeof *mem, by_thai);
    for (int i = 0; i < nwords; i++) {
        assert_string_equal(by_collate[i], by_keys[i]);
        assert_string_equal(by_collate[i], mem[i]);
    }
    free(mem);

    FILE *f = fopen(sorted_path, "w");
    assert_non_null(f);
    for (int i = 0; i < na; i++) fprintf(f, "%s\n", by_collate[i]);
    assert_int_equal(fclose(f), 0);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "%s tests/collate_icu.py check '%s'", python, sorted_path);
    assert_int_equal(run(cmd), 0);
    /* the students' keys: the same order over the first NSTUDENTS words */
    f = fopen(sorted_path, "w");
    assert_non_null(f);
    for (int i = 0; i < nc; i++) fprintf(f, "%s\n", by_students[i]);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(run(cmd), 0);
    list_free(by_collate, na);
    list_free(by_keys, nb);
    list_free(by_students, nc);
}

/* Digits, then Thai, then Latin, whatever follows the first letter. */
static void test_scripts_in_icu_order(void **state)
{
    static const char *want[] = { "12", "๑๓", "กข", "เกษม", "ก Z", "ฮูก", "A", "a1", "ab", "Zulu", };
    enum { N = sizeof want / sizeof want[0] };
    (void)state;
    for (int i = 0; i + 1 < N; i++) {
        assert_true(text_thai_collate(want[i], strlen(want[i]), want[i + 1], strlen(want[i + 1])) < 0);
        size_t la = 0, lb = 0;
        unsigned char *a = text_thai_sortkey(want[i], strlen(want[i]), &la);
        unsigned char *b = text_thai_sortkey(want[i + 1], strlen(want[i + 1]), &lb);
        assert_non_null(a);
        assert_non_null(b);
        int c = memcmp(a, b, la < lb ? la : lb);
        assert_true(c < 0 || (c == 0 && la < lb));
        free(a);
        free(b);
    }
}

/* Migration 19 makes every stored key again from its row: keys made stale
 * here (as a database keyed before it holds Latin-first keys) are all
 * thai_key() of their column after step 19 runs.  The step is run on its
 * own: winding user_version back would also run the later steps again,
 * which add columns that are already there. */
static void test_migration_remakes_keys(void **state)
{
    (void)state;
    sqlite3 *db = NULL;
    char err[512];
    assert_int_equal(db_open(db_path, false, 5000, &db, err, sizeof err), SQLITE_OK);
    exec_ok(db, "UPDATE sort_keys SET key = randomblob(12);");
    const char *stale = "SELECT (SELECT count(*) FROM sort_keys k JOIN schools s ON s.id = k.row_id"
                        "  WHERE k.tbl = 'schools' AND k.col = 'name_th' AND k.key = thai_key(s.name_th))"
                        " + (SELECT count(*) FROM sort_keys k JOIN students s ON s.id = k.row_id"
                        "  WHERE k.tbl = 'students' AND k.col = 'last_name' AND k.grp = s.round_code"
                        "  AND k.key = thai_key(s.last_name))"
                        " + (SELECT count(*) FROM sort_keys k JOIN students s ON s.id = k.row_id"
                        "  WHERE k.tbl = 'students' AND k.col = 'first_name' AND k.grp = s.round_code"
                        "  AND k.key = thai_key(s.first_name))";
    assert_int_equal(db_query_int(db, -1, stale, (const char *)NULL), 0);
    const db_migration *step = NULL;
    for (int i = 0; i < DB_NMIGRATIONS; i++)
        if (DB_MIGRATIONS[i].version == 19)
            step = &DB_MIGRATIONS[i];
    assert_non_null(step);
    assert_int_equal(db_exec(db, step->sql, err, sizeof err), SQLITE_OK);
    assert_int_equal(db_query_int(db, -1, stale, (const char *)NULL), nwords + 2 * NSTUDENTS);
    assert_int_equal(db_query_int(db, -1, "SELECT count(*) FROM sort_keys", (const char *)NULL),
                     nwords + 2 * NSTUDENTS + db_query_int(db, -1, "SELECT count(*) FROM staff",
                                                          (const char *)NULL));
    db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order_is_icu_order),
        cmocka_unit_test(test_scripts_in_icu_order),
        cmocka_unit_test(test_migration_remakes_keys),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

/*
 * test_fuzz_replay: every input kept under tests/fuzz/corpus/<target>/ (the
 * minimised corpora and every crash the fuzzers found, after its fix) run
 * again through the very bodies the libFuzzer targets run
 * (tests/fuzz/<target>.inc), built here with gcc by the normal Makefile so
 * that `make check` and `make sanitize` keep them fixed without clang.
 * A body aborts on a broken invariant; a sanitizer build reports a bad read.
 *
 * ESIS_HOME (tests/run sets it to the source tree) holds conf/, screens/ and
 * tests/fuzz/corpus/.
 */
#include "testutil.h"

#include <dirent.h>

#include "fuzz/fuzz_csv.inc"
#include "fuzz/fuzz_import.inc"
#include "fuzz/fuzz_expr.inc"
#include "fuzz/fuzz_ini.inc"
#include "fuzz/fuzz_date.inc"
#include "fuzz/fuzz_id.inc"

typedef int (*replay_init_fn)(void);
typedef int (*replay_one_fn)(const uint8_t *, size_t);
typedef void (*replay_fini_fn)(void);

static int replay_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Run every file of corpus/<target> through one(); how many were run. */
static int replay_dir(const char *target, replay_init_fn init, replay_one_fn one, replay_fini_fn fini)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/tests/fuzz/corpus/%s", fuzz_home(), target);
    DIR *d = opendir(dir);
    if (!d) fail_msg("%s: cannot open", dir);
    char **names = NULL;
    int n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            names = realloc(names, sizeof *names * (size_t)cap);
            assert_non_null(names);
        }
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof *names, replay_cmp);
    assert_int_equal(init(), 0);
    for (int i = 0; i < n; i++) {
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        FILE *fp = fopen(path, "rb");
        if (!fp) fail_msg("%s: cannot open", path);
        size_t cap2 = 4096, len = 0, got;
        uint8_t *buf = malloc(cap2);
        while (buf && (got = fread(buf + len, 1, cap2 - len, fp)) > 0) {
            len += got;
            if (len == cap2) buf = realloc(buf, cap2 *= 2);
        }
        fclose(fp);
        assert_non_null(buf);
        /* FUZZ_REPLAY_VERBOSE=1 names each input first (to find a crash) */
        if (getenv("FUZZ_REPLAY_VERBOSE")) fprintf(stderr, "%s\n", path);
        one(buf, len);
        free(buf);
        free(names[i]);
    }
    free(names);
    fini();
    return n;
}

#define REPLAY(t) static void test_replay_##t(void **state) \
{ (void)state; assert_true(replay_dir(#t, fuzz_##t##_init, fuzz_##t##_one, fuzz_##t##_fini) > 0); }

REPLAY(csv)
REPLAY(import)
REPLAY(expr)
REPLAY(ini)
REPLAY(date)
REPLAY(id)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_replay_csv),
        cmocka_unit_test(test_replay_import),
        cmocka_unit_test(test_replay_expr),
        cmocka_unit_test(test_replay_ini),
        cmocka_unit_test(test_replay_date),
        cmocka_unit_test(test_replay_id),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

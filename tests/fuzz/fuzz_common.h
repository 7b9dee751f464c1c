/*
 * fuzz_common: what every fuzz target body (tests/fuzz/<target>.inc) shares.
 *
 * Each body is included twice: by its libFuzzer main (tests/fuzz/<target>.c,
 * built with clang by tests/fuzz/build-and-run) and by the replay test
 * tests/test_fuzz_replay.c (built with gcc by the normal Makefile), which
 * runs every file of tests/fuzz/corpus/<target>/ through the same entry
 * points.  So a body defines three functions, fuzz_<target>_init()
 * (once, returns 0), fuzz_<target>_one(data, size) (per input) and
 * fuzz_<target>_fini() (frees, removes its temporary files), and all
 * its names are prefixed with the target: the replay test holds all six in
 * one translation unit.
 *
 * A broken invariant is reported with FUZZ_CHECK, which prints where and
 * aborts: libFuzzer keeps the input as a crash, the replay test dies.
 * The state a body keeps between inputs (the configuration, a template
 * database) is test harness state, not library state.
 */
#ifndef ESIS_FUZZ_COMMON_H
#define ESIS_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_CHECK(cond, ...) do { if (!(cond)) { \
    fprintf(stderr, "%s:%d: fuzz check failed: %s: ", __FILE__, __LINE__, #cond); \
    fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); abort(); } } while (0)

/* Where conf/ and screens/ are: $ESIS_HOME, else the source tree (the
 * build runs from it). */
static const char *fuzz_home(void)
{
    const char *h = getenv("ESIS_HOME");
    return h && *h ? h : ".";
}

/* The input as a NUL-terminated string (a NUL inside ends it early, as C
 * text would).  Caller frees. */
static char *fuzz_cstr(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s) abort();
    if (size) memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

/* Write data to path (truncating).  0 or -1. */
static int fuzz_write_file(const char *path, const uint8_t *data, size_t size)
{
    FILE *fp = fopen(path, "wb");
    if (!fp) return -1;
    size_t w = size ? fwrite(data, 1, size, fp) : 0;
    return fclose(fp) == 0 && w == size ? 0 : -1;
}

/* A private temporary directory under $TMPDIR; its path into out. */
static int fuzz_tempdir(char *out, size_t outsz, const char *tag)
{
    const char *t = getenv("TMPDIR");
    snprintf(out, outsz, "%s/esis-fuzz-%s-XXXXXX", t && *t ? t : "/tmp", tag);
    return mkdtemp(out) ? 0 : -1;
}

#endif

/*
 * csv.c: the CSV sink: the same rows as the database gets, written as the
 * canonical CSV files an import reads (UTF-8 with a BOM, CRLF, every field
 * quoted, dates DD/MM/YYYY in the Buddhist Era).
 *
 * students.csv holds the current round only (the import takes the round as
 * an option, so the file has no round column), with the canonical columns
 * first: school_code, citizen_id, prefix, first_name, last_name, gender,
 * birth_date, grade, room.  Rows stream straight to the file: nothing is
 * kept, so a million students need no more memory than a hundred.
 */
#include "demo_internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

enum { F_STUDENTS, F_SCHOOLS, F_STAFF, F_BUILDINGS, F_N };
static const char *const FILE_NAMES[F_N] = { "students.csv", "schools.csv", "staff.csv", "buildings.csv" };

typedef struct csv_ctx {
    FILE *f[F_N];
    const demo_table *t[F_N];
    const char *dir;
    char *err;
    size_t errsz;
} csv_ctx;

static void put_field(FILE *fp, const char *s)
{
    putc('"', fp);
    for (; s && *s; s++) {
        if (*s == '"') putc('"', fp);
        putc(*s, fp);
    }
    putc('"', fp);
}

static void put_row(FILE *fp, const demo_table *t, const char *const *v, bool header)
{
    bool first = true;
    for (int i = 0; i < t->ncols; i++) {
        const demo_col *c = &t->cols[i];
        if (c->flags & COL_DBONLY) continue;
        if (!first) putc(',', fp);
        first = false;
        if (header) { put_field(fp, c->csv); continue; }
        text_date d;
        char be[16];
        if ((c->flags & COL_DATE) && v[i] && text_date_parse(v[i], &d)) {
            text_date_be(d, be);
            put_field(fp, be);
        } else {
            put_field(fp, v[i]);
        }
    }
    fputs("\r\n", fp);
}

static int csv_row(void *user, const demo_table *t, const char *const *v)
{
    csv_ctx *x = user;
    if (!t) return 0;
    for (int i = 0; i < F_N; i++) {
        if (x->t[i] != t) continue;
        put_row(x->f[i], t, v, false);
        if (ferror(x->f[i])) {
            snprintf(x->err, x->errsz, "%s/%s: %s", x->dir, FILE_NAMES[i], strerror(errno));
            return -1;
        }
        return 0;
    }
    return 0;
}

static int open_files(csv_ctx *x)
{
    static const demo_table *const tables[F_N] = { &DEMO_T_STUDENTS, &DEMO_T_SCHOOLS,
                                                   &DEMO_T_STAFF, &DEMO_T_BUILDINGS };
    for (int i = 0; i < F_N; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", x->dir, FILE_NAMES[i]);
        x->t[i] = tables[i];
        x->f[i] = fopen(path, "wb");
        if (!x->f[i]) {
            snprintf(x->err, x->errsz, "%s: %s", path, strerror(errno));
            return -1;
        }
        fputs("\xEF\xBB\xBF", x->f[i]);
        put_row(x->f[i], tables[i], NULL, true);
    }
    return 0;
}

static int close_files(csv_ctx *x, int rc)
{
    for (int i = 0; i < F_N; i++) {
        if (!x->f[i]) continue;
        if (fclose(x->f[i]) != 0 && rc == 0) {
            snprintf(x->err, x->errsz, "%s/%s: %s", x->dir, FILE_NAMES[i], strerror(errno));
            rc = -1;
        }
        x->f[i] = NULL;
    }
    return rc;
}

int demo_write_csv_counted(const char *dir, const demo_opts *o, demo_counts *counts,
                           char *err, size_t errsz)
{
    demo_world w;
    demo_counts local;
    if (!counts) counts = &local;
    memset(counts, 0, sizeof *counts);
    if (demo_world_init(&w, o, err, errsz)) return -1;
    int latest = 0;
    for (int i = 0; i < DEMO_ROUNDS_MAX; i++)
        if (demo_world_dmc_round(&w, i)) latest = i;
    csv_ctx x = { .dir = dir, .err = err, .errsz = errsz };
    int rc = open_files(&x);
    if (!rc)
        rc = demo_generate(&w, DEMO_GEN_SCHOOLS | DEMO_GEN_STAFF | DEMO_GEN_BUILDINGS |
                           DEMO_GEN_STUDENTS, 1u << latest, csv_row, &x, counts);
    rc = close_files(&x, rc);
    demo_world_free(&w);
    return rc ? -1 : 0;
}

int demo_write_csv(const char *dir, const demo_opts *o, char *err, size_t errsz)
{
    return demo_write_csv_counted(dir, o, NULL, err, errsz);
}
